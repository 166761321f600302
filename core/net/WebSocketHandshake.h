//
// WebSocketHandshake.h
//
// The server side of the RFC 6455 opening handshake, on a request the
// reactor has read: is it a valid upgrade, and the Sec-WebSocket-Accept
// value that answers it.
//

#ifndef CAMSVC_CORE_WEBSOCKETHANDSHAKE_H
#define CAMSVC_CORE_WEBSOCKETHANDSHAKE_H

#include "camsvc/sdk/Http.h"
#include <optional>
#include <string>

namespace camsvc::core {

std::optional<std::string> upgradeProblem(const sdk::HttpRequest& request);
	/// Why the request is not a valid WebSocket upgrade (GET, version 13, a
	/// key), or nothing when it is.

std::string acceptKey(const std::string& webSocketKey);
	/// base64(SHA-1(key + the RFC 6455 GUID)).

} // namespace camsvc::core

#endif // CAMSVC_CORE_WEBSOCKETHANDSHAKE_H
