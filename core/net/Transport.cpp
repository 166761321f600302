#include "net/Transport.h"
#include <cerrno>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdexcept>
#include <string>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

namespace camsvc::core {

namespace {

bool transient(int error)
{
	return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}

class PlainTransport: public Transport
{
public:
	explicit PlainTransport(int fd): _fd(fd) {}

	IoResult handshake() override { return IoResult::done(0); }

	IoResult read(char* buffer, std::size_t size) override
	{
		ssize_t n = ::recv(_fd, buffer, size, MSG_DONTWAIT);
		if (n > 0)
			return IoResult::done(static_cast<std::size_t>(n));
		if (n == 0)
			return IoResult::closed();
		return transient(errno) ? IoResult::again(false) : IoResult::failed();
	}

	IoResult write(const char* data, std::size_t size) override
	{
		ssize_t n = ::send(_fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0)
			return IoResult::done(static_cast<std::size_t>(n));
		return transient(errno) ? IoResult::again(true) : IoResult::failed();
	}

	IoResult sendFile(int fileFd, std::uint64_t offset, std::size_t size) override
	{
		off_t position = static_cast<off_t>(offset);
		ssize_t n = ::sendfile(_fd, fileFd, &position, size);
		if (n > 0)
			return IoResult::done(static_cast<std::size_t>(n));
		if (n == 0)
			return IoResult::closed(); // the file is shorter than announced
		return transient(errno) ? IoResult::again(true) : IoResult::failed();
	}

	bool pendingInput() const override { return false; }
	void shutdownWrite() override { ::shutdown(_fd, SHUT_WR); }
	bool secure() const override { return false; }

private:
	int _fd;
};

class TlsTransport: public Transport
{
public:
	TlsTransport(int fd, SSL_CTX* context): _fd(fd), _ssl(SSL_new(context))
	{
		if (!_ssl || SSL_set_fd(_ssl, fd) != 1)
		{
			if (_ssl)
				SSL_free(_ssl);
			throw std::runtime_error("cannot create a TLS session");
		}
		// Idle connections give their record buffers back (10,000 wss:// clients),
		// and a write may resume from a moved buffer (the queue's head).
		SSL_set_mode(_ssl, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
		SSL_set_accept_state(_ssl);
	}

	~TlsTransport() override { SSL_free(_ssl); }

	IoResult handshake() override
	{
		int rc = SSL_do_handshake(_ssl);
		return rc == 1 ? IoResult::done(0) : outcome(rc);
	}

	IoResult read(char* buffer, std::size_t size) override
	{
		int rc = SSL_read(_ssl, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
		return rc > 0 ? IoResult::done(static_cast<std::size_t>(rc)) : outcome(rc);
	}

	IoResult write(const char* data, std::size_t size) override
	{
		if (size == 0)
			return IoResult::done(0);
		int rc = SSL_write(_ssl, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
		return rc > 0 ? IoResult::done(static_cast<std::size_t>(rc)) : outcome(rc);
	}

	IoResult sendFile(int fileFd, std::uint64_t offset, std::size_t size) override
	{
		// The plaintext of an unfinished write is kept: OpenSSL wants the
		// same bytes again after WANT_WRITE.
		if (_file.empty() || _fileOffset != offset)
		{
			_file.resize(std::min<std::size_t>(size, 16 * 1024));
			ssize_t n = ::pread(fileFd, _file.data(), _file.size(), static_cast<off_t>(offset));
			if (n <= 0)
			{
				_file.clear();
				return n == 0 ? IoResult::closed() : IoResult::failed();
			}
			_file.resize(static_cast<std::size_t>(n));
			_fileOffset = offset;
		}
		IoResult result = write(_file.data(), _file.size());
		if (result.kind == IoResult::Done)
		{
			_file.erase(0, result.bytes);
			_fileOffset += result.bytes;
		}
		return result;
	}

	bool pendingInput() const override { return SSL_pending(_ssl) > 0; }

	void shutdownWrite() override
	{
		SSL_shutdown(_ssl); // close_notify; we do not wait for the peer's
		::shutdown(_fd, SHUT_WR);
	}

	bool secure() const override { return true; }

private:
	IoResult outcome(int rc)
	{
		int error = SSL_get_error(_ssl, rc);
		int savedErrno = errno;
		ERR_clear_error(); // the per-thread error queue must not leak into another connection
		switch (error)
		{
		case SSL_ERROR_WANT_READ:
			return IoResult::again(false);
		case SSL_ERROR_WANT_WRITE:
			return IoResult::again(true);
		case SSL_ERROR_ZERO_RETURN:
			return IoResult::closed();
		case SSL_ERROR_SYSCALL:
			if (rc == 0 || savedErrno == 0 || savedErrno == ECONNRESET || savedErrno == EPIPE)
				return IoResult::closed();
			return transient(savedErrno) ? IoResult::again(false) : IoResult::failed();
		default:
			return IoResult::failed();
		}
	}

	int _fd;
	SSL* _ssl;
	std::string _file;
	std::uint64_t _fileOffset = 0;
};

} // namespace

std::unique_ptr<Transport> makePlainTransport(int fd)
{
	return std::make_unique<PlainTransport>(fd);
}

std::unique_ptr<Transport> makeTlsTransport(int fd, SSL_CTX* context)
{
	return std::make_unique<TlsTransport>(fd, context);
}

} // namespace camsvc::core
