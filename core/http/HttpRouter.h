//
// HttpRouter.h
//
// Every complete HTTP request the reactor reads on the service's port: the
// WebSocket upgrade, GET /health and /health/ready (answered on the I/O
// thread), POST /rpc and plugin routes (on the worker pool, authenticated
// and role-checked here), and JSON 404s for the rest.
//

#ifndef CAMSVC_CORE_HTTPROUTER_H
#define CAMSVC_CORE_HTTPROUTER_H

#include "http/ClientAddress.h"
#include "http/RouteRegistry.h"
#include "net/Reactor.h"
#include "net/WebSocketServer.h"
#include "rpc/AuthGateway.h"
#include "rpc/RpcEngine.h"
#include "services/HealthRegistry.h"
#include <Poco/Timestamp.h>

namespace camsvc::core {

struct HttpRouterContext
{
	std::string webSocketPath;
	WebSocketServer& webSockets;
	RpcEngine& engine;
	const AuthGateway& auth;
	const RouteRegistry& routes;
	const HealthRegistry& health;
	std::string version;
	Poco::Timestamp startedAt;
	TrustedProxies trustedProxies; // server.trusted_proxies: whose X-Forwarded-For / Forwarded is believed
};

class HttpRouter: public ConnectionHandler
{
public:
	explicit HttpRouter(HttpRouterContext context);

	void handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request) override;
	void handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text) override;
	void released(Connection& connection) override;

	static std::string bearerToken(const sdk::HttpRequest& request);
		/// "Authorization: Bearer X" or the ?token= query parameter; empty if neither.

private:
	void upgrade(const std::shared_ptr<Connection>& connection, const sdk::HttpRequest& request);
	void health(Connection& connection, bool readiness);
	void rpc(Connection& connection, const sdk::HttpRequest& request);
	void route(Connection& connection, const RegisteredRoute& route, const sdk::HttpRequest& request);
	void onWorker(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request,
		std::function<void(Connection&, const sdk::HttpRequest&)> work);

	HttpRouterContext _context;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_HTTPROUTER_H
