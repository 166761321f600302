//
// NetConfig.h
//
// Every bound the service's port enforces, with its default. Each one is a
// documented configuration key (README "Limits"); ServiceApplication reads
// them.
//

#ifndef CAMSVC_CORE_NETCONFIG_H
#define CAMSVC_CORE_NETCONFIG_H

#include "http/HttpRequestReader.h"
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace camsvc::core {

struct NetConfig
{
	using Seconds = std::chrono::seconds;

	unsigned ioThreads = 2;                       // server.io_threads
	std::size_t maxConnections = 20000;           // server.max_connections
	std::size_t maxConnectionsPerAddress = 256;   // server.max_connections_per_address
	std::vector<std::string> unlimitedAddresses{"127.0.0.0/8", "::1"}; // server.connection_limit_exempt

	Seconds tlsHandshakeTimeout{10};              // server.tls.handshake_timeout
	HttpLimits http;                              // server.http.max_header_size, server.http.max_body_size
	Seconds headerTimeout{10};                    // server.http.header_timeout
	Seconds bodyTimeout{30};                      // server.http.body_timeout
	Seconds keepAliveTimeout{30};                 // server.http.keepalive_timeout
	Seconds sendTimeout{60};                      // server.http.send_timeout (no write progress)

	std::string webSocketPath = "/ws";            // server.websocket.path
	std::size_t maxMessageBytes = 1024 * 1024;    // server.websocket.max_message_size
	std::size_t maxUnauthenticatedMessageBytes = 64 * 1024; // server.websocket.max_unauthenticated_message_size
	std::size_t maxSendQueueBytes = 4 * 1024 * 1024;        // server.websocket.send_queue_limit
	Seconds idleTimeout{300};                     // server.websocket.idle_timeout
	Seconds authTimeout{30};                      // server.websocket.auth_timeout

	unsigned workerThreads = 8;                   // server.worker_threads
	unsigned maxRunningPerConnection = 2;         // server.rpc.max_running_per_connection
	std::size_t maxQueuedPerConnection = 32;      // server.rpc.max_queued_per_connection
	std::size_t maxQueuedBytesPerConnection = 4 * 1024 * 1024; // server.rpc.max_queued_bytes_per_connection
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_NETCONFIG_H
