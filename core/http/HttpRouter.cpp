#include "http/HttpRouter.h"
#include "http/HttpResponseWriter.h"
#include "net/Connection.h"
#include "net/WebSocketHandshake.h"
#include "rpc/Json.h"
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace camsvc::core {

namespace {

sdk::HttpResponse jsonResponse(int status, const std::string& body)
{
	sdk::HttpResponse response;
	response.status = status;
	response.setBody(body, "application/json");
	response.headers.set("Cache-Control", "no-store");
	return response;
}

sdk::HttpResponse errorResponse(int status, const std::string& reason)
{
	return jsonResponse(status, httpErrorBody(status, reason));
}

std::string decodedPath(const std::string& path)
{
	try
	{
		std::string decoded;
		Poco::URI::decode(path, decoded);
		return decoded;
	}
	catch (...)
	{
		return path;
	}
}

struct HttpAuthorization
	/// AuthGateway::decide's answer for an HTTP request: the status (401, 403
	/// or 429 when refused) and data.reason, and the error body to send.
{
	AuthDecision decision;
	int status = 0;
	std::string reason;

	sdk::HttpResponse refusal() const
	{
		auto response = errorResponse(status, reason);
		if (status == 401)
			response.headers.set("WWW-Authenticate", reason == "missing_token" ? "Bearer" : "Bearer error=\"invalid_token\"");
		return response;
	}
};

HttpAuthorization authorize(const AuthGateway& auth, const sdk::HttpRequest& request, const std::string& remoteAddress,
	sdk::Role minRole, bool tokenOptional)
{
	AuthRequest asked;
	asked.token = HttpRouter::bearerToken(request);
	asked.remoteAddress = remoteAddress;
	asked.minRole = minRole;
	asked.anonymousAllowed = tokenOptional;
	HttpAuthorization result;
	result.decision = auth.decide(asked);
	result.status = result.decision.httpStatus();
	if (result.status)
		result.reason = result.decision.reason();
	return result;
}

} // namespace

HttpRouter::HttpRouter(HttpRouterContext context): _context(std::move(context))
{
}

std::string HttpRouter::bearerToken(const sdk::HttpRequest& request)
{
	const std::string authorization = request.get("Authorization", "");
	if (authorization.size() > 7 && Poco::icompare(authorization.substr(0, 7), "Bearer ") == 0)
		return Poco::trim(authorization.substr(7));
	try
	{
		for (const auto& [key, value]: Poco::URI(request.uri).getQueryParameters())
			if (key == "token")
				return value;
	}
	catch (...)
	{
	}
	return {};
}

void HttpRouter::handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request)
{
	const std::string path = decodedPath(request.path);
	if (path == _context.webSocketPath)
		return upgrade(connection, request);
	if (path == "/health" || path == "/health/live")
		return health(*connection, false);
	if (path == "/health/ready")
		return health(*connection, true);
	if (path == "/rpc" && request.method == "POST")
		return onWorker(connection, request, [this](Connection& c, const sdk::HttpRequest& r) { rpc(c, r); });
	if (auto match = _context.routes.match(request.method, path))
		return onWorker(connection, request, [this, match](Connection& c, const sdk::HttpRequest& r) { route(c, *match, r); });
	connection->respond(errorResponse(404, "no_such_path"));
}

void HttpRouter::handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text)
{
	_context.webSockets.handleMessage(connection, std::move(text));
}

void HttpRouter::released(Connection& connection)
{
	_context.webSockets.released(connection);
}

void HttpRouter::onWorker(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request,
	std::function<void(Connection&, const sdk::HttpRequest&)> work)
{
	auto owned = std::make_shared<sdk::HttpRequest>(std::move(request));
	std::size_t bytes = owned->body.size();
	auto task = [connection, owned, work = std::move(work)] { work(*connection, *owned); };
	// One request at a time per HTTP connection: its lane never queues more than this one.
	if (connection->lane().submit(std::move(task), false, false, bytes) == CallLane::Outcome::Rejected)
		connection->respond(errorResponse(503, "busy"));
}

void HttpRouter::upgrade(const std::shared_ptr<Connection>& connection, const sdk::HttpRequest& request)
{
	if (auto problem = upgradeProblem(request))
	{
		auto response = errorResponse(426, *problem);
		response.headers.set("Upgrade", "websocket");
		response.headers.set("Sec-WebSocket-Version", "13");
		return connection->respond(std::move(response));
	}
	connection->session().setClientAddress(clientAddress(connection->remoteAddress(), request.headers, _context.trustedProxies));
	_context.webSockets.added(connection);
	connection->upgradeToWebSocket(acceptKey(request.get("Sec-WebSocket-Key", "")));
}

void HttpRouter::health(Connection& connection, bool readiness)
{
	Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
	int status = 200;
	if (readiness)
	{
		bool ready = _context.health.ready();
		body->set("status", ready ? "ready" : "not_ready");
		body->set("started", _context.health.started());
		body->set("components", _context.health.components());
		status = ready ? 200 : 503;
	}
	else
	{
		body->set("status", "ok");
		body->set("version", _context.version);
		body->set("uptime", (Poco::Timestamp() - _context.startedAt) / Poco::Timestamp::resolution());
	}
	connection.respond(jsonResponse(status, toJson(body)));
}

void HttpRouter::rpc(Connection& connection, const sdk::HttpRequest& request)
{
	Session session(0, clientAddress(connection.remoteAddress(), request.headers, _context.trustedProxies));
	auto authorization = authorize(_context.auth, request, session.remoteAddress(), sdk::Role::None, true);
	if (authorization.status)
	{
		// A refused credential is answered the JSON-RPC way, the HTTP status saying 401 or 429.
		bool throttled = authorization.status == 429;
		Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
		data->set("reason", authorization.reason);
		return connection.respond(jsonResponse(authorization.status, RpcEngine::errorResponse(Poco::Dynamic::Var(),
			throttled ? sdk::ErrorCode::RateLimitExceeded : sdk::ErrorCode::AuthenticationFailed,
			throttled ? "Rate limit exceeded" : "Authentication failed", data)));
	}
	if (authorization.decision.authenticated)
		session.bind(authorization.decision.identity);
	std::string answer = _context.engine.handle(request.body, session);
	if (answer.empty())
	{
		sdk::HttpResponse none;
		none.status = 204;
		return connection.respond(std::move(none));
	}
	connection.respond(jsonResponse(200, answer));
}

void HttpRouter::route(Connection& connection, const RegisteredRoute& match, const sdk::HttpRequest& request)
{
	sdk::HttpContext httpContext;
	httpContext.remoteAddress = clientAddress(connection.remoteAddress(), request.headers, _context.trustedProxies);
	if (match.route.minRole != sdk::Role::None || match.route.authOptional)
	{
		auto authorization = authorize(_context.auth, request, httpContext.remoteAddress, match.route.minRole, match.route.authOptional);
		if (authorization.status)
			return connection.respond(authorization.refusal());
		httpContext.authenticated = authorization.decision.authenticated;
		httpContext.identity = authorization.decision.identity;
	}
	sdk::HttpResponse response;
	try
	{
		match.handler(request, response, httpContext);
	}
	catch (const std::exception& e)
	{
		Poco::Logger::get("core.http").error("route %s failed: %s", match.route.pathPrefix, std::string(e.what()));
		takeFileBody(response); // closes a file the handler had opened
		response = errorResponse(500, "handler_failed");
	}
	connection.respond(std::move(response));
}

} // namespace camsvc::core
