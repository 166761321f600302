#include "http/HttpRouter.h"
#include "net/TlsPump.h"
#include "net/WebSocketHandshake.h"
#include "rpc/Json.h"
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <functional>
#include <sstream>

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace camsvc {
namespace core {

namespace {

class LambdaHandler: public HTTPRequestHandler
{
public:
	using Function = std::function<void(HTTPServerRequest&, HTTPServerResponse&)>;
	explicit LambdaHandler(Function fn): _fn(std::move(fn)) {}
	void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override { _fn(request, response); }

private:
	Function _fn;
};

std::string errorBody(const std::string& error, const std::string& reason)
{
	Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
	body->set("error", error);
	body->set("reason", reason);
	return toJson(body);
}

HTTPResponse::HTTPStatus statusOf(const sdk::RpcError& e)
	/// A refused credential is 401; a throttled client 429.
{
	return e.code() == sdk::ErrorCode::RateLimitExceeded ? HTTPResponse::HTTP_TOO_MANY_REQUESTS : HTTPResponse::HTTP_UNAUTHORIZED;
}

std::string pathOf(const std::string& uri)
{
	try
	{
		return Poco::URI(uri).getPath();
	}
	catch (...)
	{
		return uri.substr(0, uri.find('?'));
	}
}

} // namespace

HttpRouter::HttpRouter(HttpRouterContext context): _context(std::move(context))
{
}

void HttpRouter::sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body)
{
	response.setStatus(status);
	response.setContentType("application/json");
	response.setContentLength(static_cast<std::streamsize>(body.size()));
	response.set("Cache-Control", "no-store");
	response.send() << body;
}

std::string HttpRouter::bearerToken(const HTTPServerRequest& request)
{
	const std::string& authorization = request.get("Authorization", "");
	if (authorization.size() > 7 && Poco::icompare(authorization.substr(0, 7), "Bearer ") == 0)
		return Poco::trim(authorization.substr(7));
	try
	{
		for (const auto& [key, value]: Poco::URI(request.getURI()).getQueryParameters())
			if (key == "token")
				return value;
	}
	catch (...)
	{
	}
	return {};
}

Poco::Net::HTTPRequestHandler* HttpRouter::createRequestHandler(const HTTPServerRequest& request)
{
	const std::string path = pathOf(request.getURI());
	const std::string& method = request.getMethod();
	auto& ctx = _context;

	if (path == ctx.webSocketPath)
	{
		return new LambdaHandler([&ctx](HTTPServerRequest& req, HTTPServerResponse& resp) {
			if (auto problem = upgradeProblem(req))
			{
				resp.set("Upgrade", "websocket");
				resp.set("Sec-WebSocket-Version", "13");
				return sendJson(resp, HTTPResponse::HTTP_UPGRADE_REQUIRED, errorBody("upgrade_required", *problem));
			}
			Poco::Net::StreamSocket socket = acceptUpgrade(req, resp);
			ctx.webSockets.accept(ctx.secure ? startTlsPump(std::move(socket)) : std::move(socket),
				clientAddress(req.clientAddress().toString(), req, ctx.trustedProxies));
		});
	}
	if (path == "/health" || path == "/health/live")
	{
		return new LambdaHandler([&ctx](HTTPServerRequest&, HTTPServerResponse& resp) {
			Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
			body->set("status", "ok");
			body->set("version", ctx.version);
			body->set("uptime", (Poco::Timestamp() - ctx.startedAt) / Poco::Timestamp::resolution());
			sendJson(resp, HTTPResponse::HTTP_OK, toJson(body));
		});
	}
	if (path == "/health/ready")
	{
		return new LambdaHandler([&ctx](HTTPServerRequest&, HTTPServerResponse& resp) {
			bool ready = ctx.health.ready();
			Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
			body->set("status", ready ? "ready" : "not_ready");
			body->set("started", ctx.health.started());
			body->set("components", ctx.health.components());
			sendJson(resp, ready ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE, toJson(body));
		});
	}
	if (path == "/rpc" && method == "POST")
	{
		return new LambdaHandler([&ctx](HTTPServerRequest& req, HTTPServerResponse& resp) {
			if (req.getContentLength() > static_cast<std::streamsize>(ctx.maxBodyBytes))
				return sendJson(resp, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, errorBody("too_large", "body_too_large"));
			std::string body;
			Poco::StreamCopier::copyToString(req.stream(), body, 8192);
			if (body.size() > ctx.maxBodyBytes)
				return sendJson(resp, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, errorBody("too_large", "body_too_large"));
			Session session(0, clientAddress(req.clientAddress().toString(), req, ctx.trustedProxies));
			std::string token = bearerToken(req);
			if (!token.empty())
			{
				try
				{
					session.bind(ctx.auth.attempt(token, session.remoteAddress(), 0));
				}
				catch (const sdk::RpcError& e)
				{
					return sendJson(resp, statusOf(e), RpcEngine::errorResponse(Poco::Dynamic::Var(), e.code(), e.message(), e.data()));
				}
			}
			std::string answer = ctx.engine.handle(body, session);
			if (answer.empty())
			{
				resp.setStatus(HTTPResponse::HTTP_NO_CONTENT);
				resp.setContentLength(0);
				resp.send();
				return;
			}
			sendJson(resp, HTTPResponse::HTTP_OK, answer);
		});
	}
	if (auto route = ctx.routes.match(method, path))
	{
		return new LambdaHandler([&ctx, route](HTTPServerRequest& req, HTTPServerResponse& resp) {
			sdk::HttpContext httpContext;
			httpContext.remoteAddress = clientAddress(req.clientAddress().toString(), req, ctx.trustedProxies);
			if (route->route.minRole != sdk::Role::None || route->route.authOptional)
			{
				std::string token = bearerToken(req);
				if (token.empty() && !route->route.authOptional)
				{
					resp.set("WWW-Authenticate", "Bearer");
					return sendJson(resp, HTTPResponse::HTTP_UNAUTHORIZED, errorBody("unauthorized", "missing_token"));
				}
				if (!token.empty())
				{
					try
					{
						httpContext.identity = ctx.auth.attempt(token, httpContext.remoteAddress, 0);
						httpContext.authenticated = true;
					}
					catch (const sdk::RpcError& e)
					{
						auto data = e.data();
						std::string reason = data && data->has("reason") ? data->getValue<std::string>("reason") : "invalid_token";
						if (statusOf(e) == HTTPResponse::HTTP_UNAUTHORIZED)
							resp.set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
						return sendJson(resp, statusOf(e), errorBody(statusOf(e) == HTTPResponse::HTTP_UNAUTHORIZED ? "unauthorized" : "too_many_requests", reason));
					}
					if (!sdk::roleAtLeast(httpContext.identity.role, route->route.minRole))
						return sendJson(resp, HTTPResponse::HTTP_FORBIDDEN, errorBody("forbidden", "insufficient_role"));
				}
			}
			try
			{
				route->handler(req, resp, httpContext);
			}
			catch (const std::exception& e)
			{
				Poco::Logger::get("core.http").error("route %s failed: %s", route->route.pathPrefix, std::string(e.what()));
				if (!resp.sent())
					sendJson(resp, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, errorBody("internal_error", "handler_failed"));
			}
		});
	}
	return new LambdaHandler([](HTTPServerRequest&, HTTPServerResponse& resp) {
		sendJson(resp, HTTPResponse::HTTP_NOT_FOUND, errorBody("not_found", "no_such_path"));
	});
}

} } // namespace camsvc::core
