#include "net/WebSocketHandshake.h"
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>

namespace camsvc {
namespace core {

namespace {

struct AcceptKey: Poco::Net::WebSocket
	/// Poco computes Sec-WebSocket-Accept; the function is protected there.
{
	using Poco::Net::WebSocket::computeAccept;
};

} // namespace

std::optional<std::string> upgradeProblem(const Poco::Net::HTTPServerRequest& request)
{
	if (!request.hasToken("Connection", "upgrade") || Poco::icompare(request.get("Upgrade", ""), "websocket") != 0)
		return std::string("not_a_websocket_upgrade");
	if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET)
		return std::string("websocket_upgrade_needs_get");
	if (request.get("Sec-WebSocket-Version", "") != Poco::Net::WebSocket::WEBSOCKET_VERSION)
		return std::string("unsupported_websocket_version");
	if (request.get("Sec-WebSocket-Key", "").empty())
		return std::string("missing_websocket_key");
	return std::nullopt;
}

Poco::Net::StreamSocket acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
	response.set("Upgrade", "websocket");
	response.set("Connection", "Upgrade");
	response.set("Sec-WebSocket-Accept", AcceptKey::computeAccept(request.get("Sec-WebSocket-Key")));
	response.setContentLength(Poco::Net::HTTPResponse::UNKNOWN_CONTENT_LENGTH);
	response.send().flush();
	return static_cast<Poco::Net::HTTPServerRequestImpl&>(request).detachSocket();
}

} } // namespace camsvc::core
