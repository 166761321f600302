//
// WebSocketHandshake.h
//
// The server side of the RFC 6455 opening handshake on Poco's HTTP server:
// checks the upgrade request, answers 101 and takes the socket over from the
// HTTP session, so the connection can be served by the reactor (directly,
// or through a TlsPump for wss://).
//

#ifndef CAMSVC_CORE_WEBSOCKETHANDSHAKE_H
#define CAMSVC_CORE_WEBSOCKETHANDSHAKE_H

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <optional>
#include <string>

namespace camsvc {
namespace core {

std::optional<std::string> upgradeProblem(const Poco::Net::HTTPServerRequest& request);
	/// Why the request is not a valid WebSocket upgrade (version 13, a key),
	/// or nothing when it is.

Poco::Net::StreamSocket acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
	/// Sends 101 Switching Protocols and detaches the socket from the HTTP
	/// session. Call only when upgradeProblem() found none.

} } // namespace camsvc::core

#endif // CAMSVC_CORE_WEBSOCKETHANDSHAKE_H
