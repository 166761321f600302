#include "net/WebSocketHandshake.h"
#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <sstream>

namespace camsvc::core {

namespace {

bool hasToken(const std::string& value, const std::string& token)
{
	Poco::StringTokenizer tokens(value, ",;", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& t: tokens)
		if (Poco::icompare(t, token) == 0)
			return true;
	return false;
}

} // namespace

std::optional<std::string> upgradeProblem(const sdk::HttpRequest& request)
{
	if (!hasToken(request.get("Connection", ""), "upgrade") || Poco::icompare(request.get("Upgrade", ""), "websocket") != 0)
		return std::string("not_a_websocket_upgrade");
	if (request.method != "GET")
		return std::string("websocket_upgrade_needs_get");
	if (request.get("Sec-WebSocket-Version", "") != "13")
		return std::string("unsupported_websocket_version");
	if (request.get("Sec-WebSocket-Key", "").empty())
		return std::string("missing_websocket_key");
	return std::nullopt;
}

std::string acceptKey(const std::string& webSocketKey)
{
	Poco::SHA1Engine sha1;
	sha1.update(Poco::trim(webSocketKey) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
	const auto& digest = sha1.digest();
	std::ostringstream out;
	Poco::Base64Encoder base64(out);
	base64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
	base64.close();
	return out.str();
}

} // namespace camsvc::core
