//
// HttpRouter.h
//
// Everything that arrives on the service's port over HTTP: the WebSocket
// upgrade, GET /health and /health/ready, POST /rpc, plugin routes (with
// authentication and roles enforced here), and JSON 404s for the rest.
//

#ifndef CAMSVC_CORE_HTTPROUTER_H
#define CAMSVC_CORE_HTTPROUTER_H

#include "http/ClientAddress.h"
#include "http/RouteRegistry.h"
#include "net/WebSocketServer.h"
#include "rpc/AuthGateway.h"
#include "rpc/RpcEngine.h"
#include "services/HealthRegistry.h"
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace camsvc {
namespace core {

struct HttpRouterContext
{
	std::string webSocketPath;
	std::size_t maxBodyBytes;
	WebSocketServer& webSockets;
	RpcEngine& engine;
	const AuthGateway& auth;
	const RouteRegistry& routes;
	const HealthRegistry& health;
	std::string version;
	Poco::Timestamp startedAt;
	bool secure = false; // the port speaks TLS: WebSockets go through a TlsPump
	TrustedProxies trustedProxies; // server.trusted_proxies: whose X-Forwarded-For / Forwarded is believed
};

class HttpRouter: public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit HttpRouter(HttpRouterContext context);
	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

	static void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
		const std::string& body);
	static std::string bearerToken(const Poco::Net::HTTPServerRequest& request);
		/// "Authorization: Bearer X" or the ?token= query parameter; empty if neither.

private:
	HttpRouterContext _context;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_HTTPROUTER_H
