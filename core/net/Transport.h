//
// Transport.h
//
// The byte stream under a connection: the plain socket, or TLS over it with
// OpenSSL in non-blocking mode on the SSL_CTX of Poco's Context. Every call
// returns at once; WANT_READ/WANT_WRITE become "again" plus the readiness
// the stream waits for, so the reactor drives TLS like any other socket and
// no connection ever needs a thread of its own.
//
// Threading: a transport is used by one thread at a time (the connection
// serializes access with its own mutex).
//

#ifndef CAMSVC_CORE_TRANSPORT_H
#define CAMSVC_CORE_TRANSPORT_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <sys/types.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace camsvc::core {

struct IoResult
{
	enum Kind { Done, Again, Closed, Failed };
	Kind kind = Done;
	std::size_t bytes = 0;
	bool wantWrite = false; // with Again: retry once the socket is writable (else readable)

	static IoResult done(std::size_t n) { return {Done, n, false}; }
	static IoResult again(bool wantWrite) { return {Again, 0, wantWrite}; }
	static IoResult closed() { return {Closed, 0, false}; }
	static IoResult failed() { return {Failed, 0, false}; }
};

class Transport
{
public:
	virtual ~Transport() = default;

	virtual IoResult handshake() = 0;
		/// Done when the stream is ready for data (at once for plain sockets).
	virtual IoResult read(char* buffer, std::size_t size) = 0;
	virtual IoResult write(const char* data, std::size_t size) = 0;
	virtual IoResult sendFile(int fileFd, std::uint64_t offset, std::size_t size) = 0;
		/// Plain: sendfile(2). TLS: read from the file and encrypt.
	virtual bool pendingInput() const = 0;
		/// Decrypted bytes already buffered (invisible to epoll).
	virtual void shutdownWrite() = 0;
		/// Sends what ends the stream in this direction (TLS close_notify, FIN).
	virtual bool secure() const = 0;
};

std::unique_ptr<Transport> makePlainTransport(int fd);
std::unique_ptr<Transport> makeTlsTransport(int fd, SSL_CTX* context);
	/// Throws std::runtime_error when OpenSSL cannot create the session.

} // namespace camsvc::core

#endif // CAMSVC_CORE_TRANSPORT_H
