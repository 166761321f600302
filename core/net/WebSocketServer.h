//
// WebSocketServer.h
//
// The WebSocket side of the transport: takes upgraded sockets from the HTTP
// server, spreads them over the I/O loops, runs each message through the
// JSON-RPC engine (inline for non-blocking methods, on the worker pool for
// the rest) and keeps the set of live connections for the event bus.
//

#ifndef CAMSVC_CORE_WEBSOCKETSERVER_H
#define CAMSVC_CORE_WEBSOCKETSERVER_H

#include "metrics/CoreMetrics.h"
#include "rpc/AuthGateway.h"
#include "rpc/RpcEngine.h"
#include "rpc/WorkerPool.h"
#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace camsvc {
namespace core {

class Connection;
class IoLoop;

struct TransportConfig
{
	std::size_t maxMessageBytes = 1024 * 1024;
	std::size_t maxSendQueueBytes = 4 * 1024 * 1024;
	std::chrono::seconds idleTimeout{300};
	int maxInFlight = 64;          // per connection, worker calls
	unsigned ioThreads = 2;
	unsigned workerThreads = 8;
	std::size_t maxConnections = 20000;
};

class WebSocketServer
{
public:
	WebSocketServer(const TransportConfig& config, RpcEngine& engine, const AuthGateway& auth,
		CoreMetrics& metrics, Poco::Logger& logger);
	~WebSocketServer();

	void start();
	void accept(Poco::Net::StreamSocket socket, const std::string& remoteAddress);
		/// Any thread (HTTP server threads): an upgraded socket joins a loop.
	void shutdown(int drainTimeoutMs);
		/// Stops reading requests, waits for calls in flight (bounded), closes
		/// every connection with 1001 and stops the loops.

	void forEachConnection(const std::function<void(Connection&)>& fn) const;
	std::size_t forEachConnectionOnItsLoop(std::function<void(Connection&)> fn, std::function<void()> loopDone) const;
		/// Runs fn for every connection on that connection's I/O thread, the
		/// loops in parallel, then loopDone on each loop that had any; returns
		/// at once with how many loops were given work (fn and loopDone are
		/// copied to each). Calls for one connection run in the order of the
		/// calls: the fan-out of notifications, spread over the cores.
	std::size_t connectionCount() const;

	// For connections.
	const TransportConfig& config() const { return _config; }
	CoreMetrics& metrics() { return _metrics; }
	Poco::Logger& logger() { return _logger; }
	void dispatch(const std::shared_ptr<Connection>& connection, std::string&& text);
	void connectionClosed(Connection& connection);

private:
	void respond(Connection& connection, const std::string& response);

	TransportConfig _config;
	RpcEngine& _engine;
	const AuthGateway& _auth;
	CoreMetrics& _metrics;
	Poco::Logger& _logger;
	WorkerPool _workers;
	std::vector<std::unique_ptr<IoLoop>> _loops;
	std::atomic<std::uint64_t> _nextId{1};
	std::atomic<bool> _accepting{true};
	mutable std::shared_mutex _mutex;
	std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> _connections;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_WEBSOCKETSERVER_H
