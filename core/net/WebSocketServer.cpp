#include "net/WebSocketServer.h"
#include "net/Connection.h"
#include "net/IoLoop.h"
#include "net/WebSocketFrame.h"
#include <mutex>
#include <thread>

namespace camsvc::core {

WebSocketServer::WebSocketServer(Reactor& reactor, RpcEngine& engine, const AuthGateway& auth, CoreMetrics& metrics,
	Poco::Logger& logger):
	_reactor(reactor), _engine(engine), _auth(auth), _metrics(metrics), _logger(logger)
{
}

void WebSocketServer::added(const std::shared_ptr<Connection>& connection)
{
	{
		std::unique_lock lock(_mutex);
		_connections.emplace(connection->id(), connection);
	}
	_metrics.connectionsCurrent.add(1);
	_metrics.connectionsTotal.inc();
	_logger.debug("connection %Lu from %s upgraded to WebSocket", connection->id(), connection->remoteAddress());
}

void WebSocketServer::handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text)
{
	RpcEngine::Message parsed = _engine.parse(text);
	if (connection->lane().runsInline(parsed.nonBlocking, parsed.barrier))
		return respond(*connection, _engine.execute(parsed, connection->session())); // ping: no allocation for the hand-off
	auto message = std::make_shared<RpcEngine::Message>(std::move(parsed));
	auto task = [this, connection, message] {
		std::string response = _engine.execute(*message, connection->session());
		connection->lane().releaseBarrier(); // the session is what the reply says before the client reads it
		respond(*connection, response);
	};
	switch (connection->lane().submit(task, message->nonBlocking, message->barrier, text.size()))
	{
	case CallLane::Outcome::RunInline:
		task();
		break;
	case CallLane::Outcome::Rejected:
		_metrics.callsRejectedBusy.inc();
		respond(*connection, _engine.refuse(*message, sdk::ErrorCode::RateLimitExceeded, "Too many calls in progress", "busy"));
		break;
	case CallLane::Outcome::Accepted:
		break;
	}
}

void WebSocketServer::respond(Connection& connection, const std::string& response)
{
	if (!response.empty())
		connection.sendText(response);
	if (connection.session().closeRequested())
		connection.close(CloseCode::PolicyViolation, "too many failed authentication attempts");
}

void WebSocketServer::released(Connection& connection)
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
	const auto& loops = _reactor.loops();
	std::unordered_map<IoLoop*, std::vector<std::shared_ptr<Connection>>> byLoop;
	{
		std::shared_lock lock(_mutex);
		for (const auto& loop: loops)
			byLoop[loop.get()].reserve(_connections.size() / loops.size() + 1);
		for (const auto& [id, c]: _connections)
			byLoop[&c->loop()].push_back(c);
	}
	std::size_t posted = 0;
	for (auto& [loop, group]: byLoop)
	{
		if (group.empty())
			continue;
		loop->post([fn, loopDone, group = std::move(group)] {
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
	forEachConnection([](Connection& c) { c.setReadingEnabled(false); });
	if (!_reactor.workers().waitIdle(drainTimeoutMs))
		_logger.warning("shutdown: calls still running after %d ms, closing anyway", drainTimeoutMs);
	forEachConnection([](Connection& c) {
		c.setReadingEnabled(true); // to read the clients' close replies
		c.close(CloseCode::GoingAway, "server shutting down");
	});
	// Give clients a moment to answer the close handshake.
	for (int i = 0; i < 40 && connectionCount() > 0; ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(25));
}

} // namespace camsvc::core
