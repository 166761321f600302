//
// Http.h
//
// HTTP routes a plugin serves on the service's port (downloads, /metrics).
//

#ifndef CAMSVC_SDK_HTTP_H
#define CAMSVC_SDK_HTTP_H

#include "camsvc/sdk/Identity.h"
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <functional>
#include <string>

namespace camsvc {
namespace sdk {

struct HttpRoute
{
	std::string method = "GET";  // exact HTTP method; HEAD is routed to GET handlers too
	std::string pathPrefix;      // e.g. "/files/recordings/"; longest prefix wins
	Role minRole = Role::Viewer; // Role::None: public. Otherwise the core checks
	                             // "Authorization: Bearer <token>" or "?token=" first
	                             // and answers 401/403 itself.
	bool authOptional = false;   // true: the core authenticates if a token is given
	                             // but lets anonymous requests through (the handler decides)
};

struct HttpContext
{
	bool authenticated = false;
	Identity identity;
	std::string remoteAddress;
};

using HttpHandler = std::function<void(Poco::Net::HTTPServerRequest& request,
	Poco::Net::HTTPServerResponse& response, const HttpContext& ctx)>;
	/// Runs on one of the HTTP server's threads; several at once. May block
	/// (it owns that connection). Must send a response.

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_HTTP_H
