//
// FrontDoorBench.cpp
//
// The service's port under hostile load, measured from outside (the load on
// the same machine as the server):
//
//   --mode=hostile   300 half-open HTTP requests + 50 downloads nobody reads,
//                    then 20 honest clients: a new WebSocket's authenticate +
//                    ping, and GET /health; worst and median latency.
//   --mode=preauth   300 anonymous WebSockets each parking an unfinished
//                    message just under the pre-auth limit; server RSS growth.
//   --mode=wss       N wss:// connections held, each authenticated and
//                    answering a ping; server threads and RSS.
//
// Usage: frontdoor_bench --port=P --server-pid=PID --mode=... [--token=T]
//        [--download=/files/recordings/NAME] [--connections=N] [--park=BYTES]
//

#include "common/BenchArgs.h"
#include "support/ProcStatus.h"
#include "support/RawClient.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using camsvc::test::RawClient;
using Clock = std::chrono::steady_clock;

namespace {

double millis(Clock::duration d)
{
	return std::chrono::duration<double, std::milli>(d).count();
}

std::string authenticateFrame(const std::string& token)
{
	return RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + token + R"("},"id":1})");
}

const std::string PingFrame = RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"ping","id":2})");

double honestWebSocket(int port, const std::string& token)
{
	auto start = Clock::now();
	RawClient c(port);
	if (!c.upgrade())
		throw std::runtime_error("upgrade failed");
	c.send(authenticateFrame(token) + PingFrame);
	std::uint8_t opcode;
	std::string payload;
	for (int i = 0; i < 2; ++i)
		if (!c.readFrame(opcode, payload, 10000))
			throw std::runtime_error("no answer within 10 s");
	return millis(Clock::now() - start);
}

double honestHealth(int port)
{
	auto start = Clock::now();
	RawClient c(port);
	c.send("GET /health HTTP/1.1\r\nHost: bench\r\n\r\n");
	if (c.receiveUntil("\r\n\r\n", 10000).rfind("HTTP/1.1 200", 0) != 0)
		throw std::runtime_error("/health did not answer within 10 s");
	return millis(Clock::now() - start);
}

void report(const char* what, std::vector<double> samples)
{
	std::sort(samples.begin(), samples.end());
	std::printf("%s: tries=%zu p50=%.2f ms worst=%.2f ms\n", what, samples.size(), samples[samples.size() / 2], samples.back());
}

int hostile(int port, const std::string& token, const std::string& download)
{
	std::vector<std::unique_ptr<RawClient>> held;
	for (int i = 0; i < 300; ++i)
	{
		held.push_back(std::make_unique<RawClient>(port));
		held.back()->send("GET /health HTTP/1.1\r\nHost: bench\r\nX-Half-Open: ");
	}
	if (!download.empty())
		for (int i = 0; i < 50; ++i)
		{
			held.push_back(std::make_unique<RawClient>(port, 4096));
			held.back()->send("GET " + download + " HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\n\r\n");
		}
	std::this_thread::sleep_for(std::chrono::milliseconds(500));
	std::vector<double> ws, health;
	for (int i = 0; i < 20; ++i)
	{
		ws.push_back(honestWebSocket(port, token));
		health.push_back(honestHealth(port));
	}
	std::printf("hostile: %d half-open requests, %d stalled downloads held\n", 300, download.empty() ? 0 : 50);
	report("new websocket authenticate+ping", ws);
	report("GET /health", health);
	return 0;
}

int preauth(int port, int pid, std::size_t park)
{
	long before = camsvc::test::residentKb(pid);
	std::vector<std::unique_ptr<RawClient>> parked;
	for (int i = 0; i < 300; ++i)
	{
		parked.push_back(std::make_unique<RawClient>(port));
		if (!parked.back()->upgrade())
			throw std::runtime_error("upgrade failed");
		parked.back()->send(RawClient::frame(0x1, std::string(park, 'x'), false));
	}
	std::this_thread::sleep_for(std::chrono::seconds(1));
	long after = camsvc::test::residentKb(pid);
	std::printf("preauth: 300 anonymous connections parking %zu bytes each: server RSS %ld -> %ld kB (+%.1f MB)\n", park, before,
		after, (after - before) / 1024.0);
	return 0;
}

struct TlsClient
{
	int fd = -1;
	SSL* ssl = nullptr;
	~TlsClient()
	{
		if (ssl)
			SSL_free(ssl);
		if (fd >= 0)
			::close(fd);
	}
};

bool tlsWrite(SSL* ssl, const std::string& bytes)
{
	return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
}

bool tlsReadFrames(SSL* ssl, int frames)
	/// Reads until that many complete server frames have arrived.
{
	std::string in;
	char buffer[16384];
	while (frames > 0)
	{
		while (in.size() >= 2)
		{
			std::size_t length = static_cast<std::uint8_t>(in[1]) & 0x7F, header = 2;
			if (length == 126)
			{
				if (in.size() < 4)
					break;
				length = (static_cast<std::uint8_t>(in[2]) << 8) | static_cast<std::uint8_t>(in[3]);
				header = 4;
			}
			if (in.size() < header + length)
				break;
			in.erase(0, header + length);
			if (--frames == 0)
				return true;
		}
		int n = SSL_read(ssl, buffer, sizeof buffer);
		if (n <= 0)
			return false;
		in.append(buffer, static_cast<std::size_t>(n));
	}
	return true;
}

int wss(int port, int pid, const std::string& token, int connections)
{
	SSL_CTX* context = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
	std::vector<std::unique_ptr<TlsClient>> clients;
	auto start = Clock::now();
	const std::string upgrade = "GET /ws HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
	for (int i = 0; i < connections; ++i)
	{
		auto c = std::make_unique<TlsClient>();
		c->fd = ::socket(AF_INET, SOCK_STREAM, 0);
		sockaddr_in address{};
		address.sin_family = AF_INET;
		address.sin_port = htons(static_cast<std::uint16_t>(port));
		address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (::connect(c->fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
			throw std::runtime_error("connect failed at connection " + std::to_string(i));
		c->ssl = SSL_new(context);
		SSL_set_fd(c->ssl, c->fd);
		if (SSL_connect(c->ssl) != 1)
			throw std::runtime_error("TLS handshake failed at connection " + std::to_string(i));
		tlsWrite(c->ssl, upgrade);
		char head[512];
		std::string response;
		while (response.find("\r\n\r\n") == std::string::npos)
		{
			int n = SSL_read(c->ssl, head, sizeof head);
			if (n <= 0)
				throw std::runtime_error("no upgrade answer at connection " + std::to_string(i));
			response.append(head, static_cast<std::size_t>(n));
		}
		tlsWrite(c->ssl, authenticateFrame(token));
		if (!tlsReadFrames(c->ssl, 1))
			throw std::runtime_error("authenticate failed at connection " + std::to_string(i));
		clients.push_back(std::move(c));
	}
	double connectSeconds = millis(Clock::now() - start) / 1000;
	long threads = camsvc::test::threadCount(pid), rss = camsvc::test::residentKb(pid);
	start = Clock::now();
	for (auto& c: clients)
		tlsWrite(c->ssl, PingFrame);
	int answered = 0;
	for (auto& c: clients)
		answered += tlsReadFrames(c->ssl, 1);
	std::printf("wss: %d connections held (set up in %.1f s), %d answered a ping in %.2f s; server threads=%ld RSS=%.1f MB\n",
		connections, connectSeconds, answered, millis(Clock::now() - start) / 1000, threads, rss / 1024.0);
	clients.clear();
	SSL_CTX_free(context);
	return answered == connections ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
	camsvc::bench::BenchArgs args(argc, argv);
	int port = std::stoi(args.get("port"));
	int pid = args.getInt("server-pid", 0);
	std::string token = args.get("token");
	std::string mode = args.get("mode");
	try
	{
		if (mode == "hostile")
			return hostile(port, token, args.get("download"));
		if (mode == "preauth")
			return preauth(port, pid, args.getUnsigned("park", 65000));
		if (mode == "wss")
			return wss(port, pid, token, args.getInt("connections", 10000));
	}
	catch (const std::exception& e)
	{
		std::fprintf(stderr, "frontdoor_bench: %s\n", e.what());
		return 1;
	}
	std::fprintf(stderr, "usage: frontdoor_bench --port=P --server-pid=PID --mode=hostile|preauth|wss [--token=T] [--download=PATH]\n");
	return 2;
}
