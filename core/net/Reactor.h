//
// Reactor.h
//
// The service's port: the listening socket, the I/O loops that own every
// connection from accept to close, and the limits on who may hold how many
// connections. Complete HTTP requests go to the HTTP router, WebSocket
// messages to the WebSocket server; both run on the shared worker pool,
// through each connection's CallLane.
//

#ifndef CAMSVC_CORE_REACTOR_H
#define CAMSVC_CORE_REACTOR_H

#include "net/AddressSet.h"
#include "net/Connection.h"
#include "net/NetConfig.h"
#include "net/WorkerPool.h"
#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace camsvc::core {

class IoLoop;

class ConnectionHandler
	/// The application side of the port (the HTTP router and WebSocket server).
{
public:
	virtual ~ConnectionHandler() = default;
	virtual void handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request) = 0;
	virtual void handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text) = 0;
	virtual void released(Connection& connection) = 0;
};

class Reactor: public ConnectionHost
{
public:
	Reactor(const NetConfig& config, CoreMetrics& metrics, Poco::Logger& logger);
	~Reactor() override;

	void setHandler(ConnectionHandler* handler) { _handler = handler; }
	void setTls(Poco::Net::Context::Ptr context);
		/// Before start(): the port speaks TLS only, with this context's SSL_CTX.
	void listen(const std::string& host, int port, int backlog);
		/// Binds and listens; throws Poco::Exception when it cannot.
	void start();
	void stopAccepting();
		/// No new connections; open ones are served on.
	void stop();
		/// Closes every connection and joins the loops.

	WorkerPool& workers() { return _workers; }
	const std::vector<std::unique_ptr<IoLoop>>& loops() const { return _loops; }
	std::chrono::milliseconds longestStall() const;
		/// Any thread, after start(): how long ago the loop that turned least recently turned.
	bool secure() const { return static_cast<bool>(_tls); }
	std::size_t connectionCount() const { return _connectionCount.load(std::memory_order_relaxed); }

	// ConnectionHost
	const NetConfig& config() const override { return _config; }
	CoreMetrics& metrics() override { return _metrics; }
	Poco::Logger& logger() override { return _logger; }
	void handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request) override;
	void handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text) override;
	void released(Connection& connection) override;

	// For the loops.
	void acceptOn(IoLoop& loop, int listenFd);

private:
	bool admit(const std::string& address);
	void adoptSocket(IoLoop& loop, int fd, const std::string& address);

	NetConfig _config;
	CoreMetrics& _metrics;
	Poco::Logger& _logger;
	ConnectionHandler* _handler = nullptr;
	Poco::Net::Context::Ptr _tls;
	Poco::Net::ServerSocket _listener;
	int _spareFd = -1;               // given up to accept-and-close when out of descriptors
	AddressSet _unlimited;
	WorkerPool _workers;
	std::vector<std::unique_ptr<IoLoop>> _loops;
	std::atomic<std::uint64_t> _nextId{1};
	std::atomic<std::size_t> _connectionCount{0};
	std::atomic<bool> _accepting{false};
	std::mutex _addressMutex;
	std::unordered_map<std::string, std::size_t> _perAddress;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_REACTOR_H
