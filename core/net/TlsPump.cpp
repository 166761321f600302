#include "net/TlsPump.h"
#include <Poco/Net/StreamSocketImpl.h>
#include <cerrno>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace camsvc {
namespace core {

namespace {

bool writeAll(int fd, const char* data, std::size_t size)
{
	while (size > 0)
	{
		ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		size -= static_cast<std::size_t>(n);
	}
	return true;
}

void pump(Poco::Net::StreamSocket tls, int local)
{
	constexpr std::size_t BufferSize = 16384;
	char buffer[BufferSize];
	try
	{
		tls.setBlocking(true);
		tls.setSendTimeout(Poco::Timespan(30, 0));
		tls.setReceiveTimeout(Poco::Timespan(30, 0));
		int tlsFd = tls.impl()->sockfd();
		for (;;)
		{
			// Decrypted bytes OpenSSL already holds are not visible to poll().
			bool tlsReady = tls.available() > 0;
			pollfd fds[2] = {{tlsFd, POLLIN, 0}, {local, POLLIN, 0}};
			if (!tlsReady && ::poll(fds, 2, -1) < 0)
			{
				if (errno == EINTR)
					continue;
				break;
			}
			if (tlsReady || (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			{
				int n = tls.receiveBytes(buffer, static_cast<int>(BufferSize));
				if (n <= 0 || !writeAll(local, buffer, static_cast<std::size_t>(n)))
					break;
			}
			if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
			{
				ssize_t n = ::recv(local, buffer, BufferSize, 0);
				if (n <= 0)
					break;
				if (tls.sendBytes(buffer, static_cast<int>(n)) != n)
					break;
			}
		}
	}
	catch (...)
	{
		// A TLS error or timeout ends this connection only.
	}
	::shutdown(local, SHUT_RDWR);
	::close(local);
	try
	{
		tls.close();
	}
	catch (...)
	{
	}
}

} // namespace

Poco::Net::StreamSocket startTlsPump(Poco::Net::StreamSocket tlsSocket)
{
	int pair[2];
	if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
		throw std::runtime_error("socketpair failed");
	std::thread(pump, std::move(tlsSocket), pair[0]).detach();
	return Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(pair[1]));
}

} } // namespace camsvc::core
