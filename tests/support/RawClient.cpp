#include "support/RawClient.h"
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace camsvc::test {

namespace {

long millisLeft(std::chrono::steady_clock::time_point deadline)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
}

} // namespace

bool RawClient::readSome(std::string& out, std::chrono::steady_clock::time_point deadline)
{
	long left = millisLeft(deadline);
	if (left <= 0 || _end != End::Open)
		return false;
	pollfd p{_fd, POLLIN, 0};
	if (::poll(&p, 1, static_cast<int>(left)) <= 0)
		return false;
	char buffer[65536];
	ssize_t n = ::recv(_fd, buffer, sizeof buffer, 0);
	if (n > 0)
	{
		out.append(buffer, static_cast<std::size_t>(n));
		return true;
	}
	_end = (n == 0 || errno != ECONNRESET) ? End::Fin : End::Reset;
	return false;
}

int connectLoopback(int port, int receiveBufferBytes)
{
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (receiveBufferBytes > 0)
		::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes);
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	sockaddr_in address{};
	address.sin_family = AF_INET;
	address.sin_port = htons(static_cast<std::uint16_t>(port));
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
	{
		::close(fd);
		return -1;
	}
	return fd;
}

RawClient::RawClient(int port, int receiveBufferBytes): _fd(connectLoopback(port, receiveBufferBytes))
{
	if (_fd < 0)
		throw std::runtime_error("connect() failed");
}

RawClient::~RawClient()
{
	if (_fd >= 0)
		::close(_fd);
}

bool RawClient::send(const std::string& bytes)
{
	std::size_t sent = 0;
	while (sent < bytes.size())
	{
		ssize_t n = ::send(_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		sent += static_cast<std::size_t>(n);
	}
	return true;
}

std::string RawClient::receive(int timeoutMs, std::size_t atMost)
{
	std::string out;
	out.swap(_buffered);
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (out.size() < atMost && readSome(out, deadline))
	{
	}
	return out;
}

std::string RawClient::receiveUntil(const std::string& marker, int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	std::string out;
	out.swap(_buffered);
	while (out.find(marker) == std::string::npos && readSome(out, deadline))
	{
	}
	auto at = out.find(marker);
	if (at != std::string::npos)
	{
		_buffered = out.substr(at + marker.size());
		out.resize(at + marker.size());
	}
	return out;
}

RawClient::End RawClient::waitEnd(int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	std::string dropped;
	while (_end == End::Open)
	{
		dropped.clear();
		if (!readSome(dropped, deadline) && _end == End::Open && millisLeft(deadline) <= 0)
			return End::Timeout;
	}
	_buffered.clear();
	return _end;
}

bool RawClient::upgrade(const std::string& path)
{
	send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
	std::string head = receiveUntil("\r\n\r\n", 5000);
	return head.rfind("HTTP/1.1 101", 0) == 0;
}

std::string RawClient::frame(std::uint8_t opcode, const std::string& payload, bool fin)
{
	std::string out;
	out += static_cast<char>((fin ? 0x80 : 0) | opcode);
	const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
	if (payload.size() < 126)
		out += static_cast<char>(0x80 | payload.size());
	else if (payload.size() < 65536)
	{
		out += static_cast<char>(0x80 | 126);
		out += static_cast<char>(payload.size() >> 8);
		out += static_cast<char>(payload.size() & 0xFF);
	}
	else
	{
		out += static_cast<char>(0x80 | 127);
		for (int i = 7; i >= 0; --i)
			out += static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> (8 * i)) & 0xFF);
	}
	out.append(reinterpret_cast<const char*>(mask), 4);
	for (std::size_t i = 0; i < payload.size(); ++i)
		out += static_cast<char>(payload[i] ^ mask[i % 4]);
	return out;
}

bool RawClient::readFrame(std::uint8_t& opcode, std::string& payload, int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	for (;;)
	{
		if (_buffered.size() >= 2)
		{
			std::size_t length = static_cast<std::uint8_t>(_buffered[1]) & 0x7F;
			std::size_t header = 2;
			if (length == 126 && _buffered.size() >= 4)
			{
				length = (static_cast<std::uint8_t>(_buffered[2]) << 8) | static_cast<std::uint8_t>(_buffered[3]);
				header = 4;
			}
			else if (length == 127 && _buffered.size() >= 10)
			{
				length = 0;
				for (int i = 0; i < 8; ++i)
					length = (length << 8) | static_cast<std::uint8_t>(_buffered[2 + i]);
				header = 10;
			}
			bool complete = length < 126 || header > 2;
			if (complete && _buffered.size() >= header + length)
			{
				opcode = static_cast<std::uint8_t>(_buffered[0]) & 0x0F;
				payload = _buffered.substr(header, length);
				_buffered.erase(0, header + length);
				return true;
			}
		}
		if (!readSome(_buffered, deadline))
			return false;
	}
}

int RawClient::closeCode(const std::string& payload)
{
	if (payload.size() < 2)
		return -1;
	return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

} // namespace camsvc::test
