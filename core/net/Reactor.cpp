#include "net/Reactor.h"
#include "metrics/CoreMetrics.h"
#include "net/IoLoop.h"
#include <algorithm>
#include <Poco/Logger.h>
#include <Poco/Net/SocketAddress.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace camsvc::core {

namespace {
constexpr int AcceptsPerWakeup = 64; // then the loop serves its connections again
}

Reactor::Reactor(const NetConfig& config, CoreMetrics& metrics, Poco::Logger& logger):
	_config(config),
	_metrics(metrics),
	_logger(logger),
	_unlimited(config.unlimitedAddresses),
	_workers(config.workerThreads)
{
	for (unsigned i = 0; i < (config.ioThreads ? config.ioThreads : 1); ++i)
		_loops.push_back(std::make_unique<IoLoop>(*this));
	_spareFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

Reactor::~Reactor()
{
	stop();
	if (_spareFd >= 0)
		::close(_spareFd);
}

void Reactor::setTls(Poco::Net::Context::Ptr context)
{
	_tls = std::move(context);
}

void Reactor::listen(const std::string& host, int port, int backlog)
{
	// SO_REUSEADDR (restart while old connections linger in TIME_WAIT) but
	// not SO_REUSEPORT, which bind(address, true) also sets: with it a second
	// instance on the same port starts and silently takes half the clients.
	_listener.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), true, false);
	_listener.listen(backlog);
	_listener.setBlocking(false);
}

void Reactor::start()
{
	for (auto& loop: _loops)
	{
		loop->watchListener(_listener.impl()->sockfd());
		loop->start();
	}
	_accepting = true;
}

void Reactor::stopAccepting()
{
	_accepting = false;
	for (auto& loop: _loops)
		loop->unwatchListener();
}

void Reactor::stop()
{
	_accepting = false;
	_workers.stop();
	for (auto& loop: _loops)
		loop->stop();
}

bool Reactor::admit(const std::string& address)
{
	if (_connectionCount.load(std::memory_order_relaxed) >= _config.maxConnections)
		return false;
	if (_config.maxConnectionsPerAddress == 0 || _unlimited.contains(address))
		return true;
	std::lock_guard lock(_addressMutex);
	auto& count = _perAddress[address];
	if (count >= _config.maxConnectionsPerAddress)
		return false;
	++count;
	return true;
}

void Reactor::acceptOn(IoLoop& loop, int listenFd)
{
	for (int i = 0; i < AcceptsPerWakeup && _accepting; ++i)
	{
		sockaddr_storage peer{};
		socklen_t length = sizeof peer;
		int fd = ::accept4(listenFd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
		{
			if (errno == EMFILE || errno == ENFILE)
			{
				// Out of descriptors: take the client off the backlog and close it,
				// or the level-triggered listener would wake this loop forever.
				_metrics.connectionsRefused.inc();
				::close(_spareFd);
				int dropped = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
				if (dropped >= 0)
					::close(dropped);
				_spareFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
				_logger.warning("out of file descriptors: refusing new connections");
				continue;
			}
			return; // EAGAIN: the backlog is empty (or another loop took the client)
		}
		std::string address;
		try
		{
			address = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), length).host().toString();
		}
		catch (const Poco::Exception&)
		{
			address = "unknown";
		}
		if (!admit(address))
		{
			_metrics.connectionsRefused.inc();
			_logger.debug("refusing a connection from %s: connection limit", address);
			::close(fd);
			continue;
		}
		adoptSocket(loop, fd, address);
	}
}

void Reactor::adoptSocket(IoLoop& loop, int fd, const std::string& address)
{
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	std::shared_ptr<Connection> connection;
	try
	{
		auto transport = _tls ? makeTlsTransport(fd, _tls->sslContext()) : makePlainTransport(fd);
		auto lane = std::make_shared<CallLane>(_workers, _config.maxRunningPerConnection, _config.maxQueuedPerConnection,
			_config.maxQueuedBytesPerConnection);
		connection = std::make_shared<Connection>(fd, _nextId.fetch_add(1), address, loop, *this, std::move(transport), std::move(lane));
	}
	catch (const std::exception& e)
	{
		// Nothing was set up: the descriptor is ours to close, and the address's slot to give back.
		_logger.warning("cannot set up a connection from %s: %s", address, std::string(e.what()));
		::close(fd);
		std::lock_guard lock(_addressMutex);
		auto it = _perAddress.find(address);
		if (it != _perAddress.end() && --it->second == 0)
			_perAddress.erase(it);
		return;
	}
	_connectionCount.fetch_add(1, std::memory_order_relaxed);
	loop.adopt(std::move(connection));
}

void Reactor::handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request)
{
	_handler->handleHttp(connection, request);
}

void Reactor::handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text)
{
	_handler->handleMessage(connection, std::move(text));
}

void Reactor::released(Connection& connection)
{
	_connectionCount.fetch_sub(1, std::memory_order_relaxed);
	{
		std::lock_guard lock(_addressMutex);
		auto it = _perAddress.find(connection.remoteAddress());
		if (it != _perAddress.end() && --it->second == 0)
			_perAddress.erase(it);
	}
	if (_handler)
		_handler->released(connection);
}

std::chrono::milliseconds Reactor::longestStall() const
{
	auto now = std::chrono::steady_clock::now();
	std::chrono::milliseconds longest{0};
	for (const auto& loop: _loops)
		longest = std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(now - loop->lastTurn()));
	return longest;
}

} // namespace camsvc::core
