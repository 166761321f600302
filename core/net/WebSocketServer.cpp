#include "net/WebSocketServer.h"
#include "net/Connection.h"
#include "net/IoLoop.h"
#include "net/WebSocketFrame.h"
#include <fcntl.h>
#include <mutex>
#include <netinet/tcp.h>
#include <thread>

namespace camsvc {
namespace core {

WebSocketServer::WebSocketServer(const TransportConfig& config, RpcEngine& engine, const AuthGateway& auth,
	CoreMetrics& metrics, Poco::Logger& logger):
	_config(config), _engine(engine), _auth(auth), _metrics(metrics), _logger(logger), _workers(config.workerThreads)
{
	for (unsigned i = 0; i < (config.ioThreads ? config.ioThreads : 1); ++i)
		_loops.push_back(std::make_unique<IoLoop>(*this));
}

WebSocketServer::~WebSocketServer()
{
	_workers.stop();
	for (auto& loop: _loops)
		loop->stop();
}

void WebSocketServer::start()
{
	for (auto& loop: _loops)
		loop->start();
}

void WebSocketServer::accept(Poco::Net::StreamSocket socket, const std::string& remoteAddress)
{
	if (!_accepting || connectionCount() >= _config.maxConnections)
	{
		auto frame = encodeClose(CloseCode::GoingAway, _accepting ? "too many connections" : "shutting down");
		socket.sendBytes(frame.data(), static_cast<int>(frame.size()));
		socket.close();
		return;
	}
	int fd = socket.impl()->sockfd();
	::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

	std::uint64_t id = _nextId.fetch_add(1);
	IoLoop& loop = *_loops[id % _loops.size()];
	auto connection = std::make_shared<Connection>(std::move(socket), id, remoteAddress, loop, *this);
	{
		std::unique_lock lock(_mutex);
		_connections.emplace(id, connection);
	}
	_metrics.connectionsCurrent.add(1);
	_metrics.connectionsTotal.inc();
	_logger.debug("connection %Lu from %s", id, remoteAddress);
	loop.adopt(std::move(connection));
}

void WebSocketServer::dispatch(const std::shared_ptr<Connection>& connection, std::string&& text)
{
	auto message = _engine.parse(text);
	if (message.nonBlocking)
	{
		respond(*connection, _engine.execute(message, connection->session()));
		return;
	}
	connection->callStarted();
	_workers.submit([this, connection, message = std::move(message)] {
		respond(*connection, _engine.execute(message, connection->session()));
		connection->callFinished();
	});
}

void WebSocketServer::respond(Connection& connection, const std::string& response)
{
	if (!response.empty())
		connection.sendText(response);
	if (connection.session().closeRequested())
		connection.close(CloseCode::PolicyViolation, "too many failed authentication attempts");
}

void WebSocketServer::connectionClosed(Connection& connection)
{
	{
		std::unique_lock lock(_mutex);
		if (_connections.erase(connection.id()) == 0)
			return;
	}
	_metrics.connectionsCurrent.add(-1);
	_auth.connectionClosed(connection.id());
	_logger.debug("connection %Lu closed", connection.id());
}

void WebSocketServer::forEachConnection(const std::function<void(Connection&)>& fn) const
{
	std::vector<std::shared_ptr<Connection>> all;
	{
		std::shared_lock lock(_mutex);
		all.reserve(_connections.size());
		for (const auto& [id, c]: _connections)
			all.push_back(c);
	}
	for (const auto& c: all)
		fn(*c);
}

std::size_t WebSocketServer::forEachConnectionOnItsLoop(std::function<void(Connection&)> fn, std::function<void()> loopDone) const
{
	std::vector<std::vector<std::shared_ptr<Connection>>> byLoop(_loops.size());
	{
		std::shared_lock lock(_mutex);
		for (auto& group: byLoop)
			group.reserve(_connections.size() / _loops.size() + 1);
		for (const auto& [id, c]: _connections)
			byLoop[id % _loops.size()].push_back(c); // the loop adopt() gave it
	}
	std::size_t posted = 0;
	for (std::size_t i = 0; i < _loops.size(); ++i)
	{
		if (byLoop[i].empty())
			continue;
		_loops[i]->post([fn, loopDone, group = std::move(byLoop[i])] {
			for (const auto& c: group)
				fn(*c);
			if (loopDone)
				loopDone();
		});
		++posted;
	}
	return posted;
}

std::size_t WebSocketServer::connectionCount() const
{
	std::shared_lock lock(_mutex);
	return _connections.size();
}

void WebSocketServer::shutdown(int drainTimeoutMs)
{
	_accepting = false;
	forEachConnection([](Connection& c) { c.setReadingEnabled(false); });
	if (!_workers.waitIdle(drainTimeoutMs))
		_logger.warning("shutdown: calls still running after %d ms, closing anyway", drainTimeoutMs);
	forEachConnection([](Connection& c) {
		c.setReadingEnabled(true); // to read the clients' close replies
		c.close(CloseCode::GoingAway, "server shutting down");
	});
	// Give clients a moment to answer the close handshake.
	for (int i = 0; i < 40 && connectionCount() > 0; ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(25));
	_workers.stop();
	for (auto& loop: _loops)
		loop->stop();
}

} } // namespace camsvc::core
