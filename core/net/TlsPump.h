//
// TlsPump.h
//
// wss:// without giving up the reactor: OpenSSL objects are not safe to use
// from several threads and Poco 1.11's secure sockets cannot be driven
// non-blocking, so each TLS WebSocket gets one thread that moves bytes
// between the TLS socket and one end of a local socket pair, and the
// reactor serves the other end exactly like a plain connection (same
// framing, limits, queues and close codes). TLS clients cost a thread each;
// plain ws:// clients do not.
//

#ifndef CAMSVC_CORE_TLSPUMP_H
#define CAMSVC_CORE_TLSPUMP_H

#include <Poco/Net/StreamSocket.h>

namespace camsvc {
namespace core {

Poco::Net::StreamSocket startTlsPump(Poco::Net::StreamSocket tlsSocket);
	/// Starts a detached thread pumping between tlsSocket and a new socket
	/// pair; returns the pair's other end for the reactor. The thread ends
	/// (closing both) when either side closes or fails.

} } // namespace camsvc::core

#endif // CAMSVC_CORE_TLSPUMP_H
