//
// WebSocketServer.h
//
// The WebSocket side of the port: the set of upgraded connections (for the
// event bus and for signing sessions out), and each message run through the
// JSON-RPC engine on the connection's CallLane — inline for non-blocking
// methods with nothing ahead of them, on the worker pool for the rest, and
// -32002 "busy" when the connection's own queue is full.
//

#ifndef CAMSVC_CORE_WEBSOCKETSERVER_H
#define CAMSVC_CORE_WEBSOCKETSERVER_H

#include "metrics/CoreMetrics.h"
#include "net/Reactor.h"
#include "rpc/AuthGateway.h"
#include "rpc/RpcEngine.h"
#include <Poco/Logger.h>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <unordered_map>

namespace camsvc::core {

class Connection;

class WebSocketServer
{
public:
	WebSocketServer(Reactor& reactor, RpcEngine& engine, const AuthGateway& auth, CoreMetrics& metrics, Poco::Logger& logger);

	void added(const std::shared_ptr<Connection>& connection);
		/// Loop thread: the connection was upgraded.
	void handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text);
		/// Loop thread.
	void released(Connection& connection);
		/// Loop thread: forgets the connection if it was a WebSocket.
	void shutdown(int drainTimeoutMs);
		/// Stops reading requests, waits for calls in flight (bounded), closes
		/// every connection with 1001.

	void forEachConnection(const std::function<void(Connection&)>& fn) const;
	std::size_t forEachConnectionOnItsLoop(std::function<void(Connection&)> fn, std::function<void()> loopDone) const;
		/// Runs fn for every connection on that connection's I/O thread, the
		/// loops in parallel, then loopDone on each loop that had any; returns
		/// at once with how many loops were given work (fn and loopDone are
		/// copied to each). Calls for one connection run in the order of the
		/// calls: the fan-out of notifications, spread over the cores.
	std::size_t connectionCount() const;

private:
	void respond(Connection& connection, const std::string& response);

	Reactor& _reactor;
	RpcEngine& _engine;
	const AuthGateway& _auth;
	CoreMetrics& _metrics;
	Poco::Logger& _logger;
	mutable std::shared_mutex _mutex;
	std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> _connections;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_WEBSOCKETSERVER_H
