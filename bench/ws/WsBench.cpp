//
// WsBench.cpp
//
// WebSocket JSON-RPC load generator for camera-service.
//
//   ws_bench --port=8002 --mode=ping --connections=16 --seconds=10 [--token=T]
//       closed-loop ping on N connections: throughput and latency percentiles
//   ws_bench --port=8002 --mode=idle --connections=10000 --server-pid=PID [--hold=5]
//       opens and authenticates N connections, holds them, then pings each
//       once: how many answered, how fast, and the server's RSS
//   ws_bench --port=8002 --mode=notify --connections=1000 [--rounds=200]
//       N authenticated connections; another one calls test.publish (plugin
//       test_tools) once a round: latency from sending that request to each
//       connection's notification arriving (needs test_auth + test_tools)
//
// One thread, epoll, raw sockets: the generator should cost less CPU than
// the server it measures.
//

#include "common/BenchArgs.h"
#include "support/RawClient.h"
#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

std::string maskedTextFrame(const std::string& payload)
{
	std::string f;
	f += static_cast<char>(0x81);
	std::size_t n = payload.size();
	if (n < 126)
		f += static_cast<char>(0x80 | n);
	else
	{
		f += static_cast<char>(0x80 | 126);
		f += static_cast<char>(n >> 8);
		f += static_cast<char>(n & 0xFF);
	}
	const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
	f.append(reinterpret_cast<const char*>(mask), 4);
	for (std::size_t i = 0; i < n; ++i)
		f += static_cast<char>(payload[i] ^ mask[i & 3]);
	return f;
}

bool sendAll(int fd, const std::string& data)
{
	std::size_t off = 0;
	while (off < data.size())
	{
		ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
		if (n <= 0)
			return false;
		off += static_cast<std::size_t>(n);
	}
	return true;
}

struct Conn
{
	int fd = -1;
	std::string in;
	Clock::time_point sentAt;
	bool waiting = false;
};

// Pops complete server frames off c.in; returns how many text frames.
int takeFrames(Conn& c)
{
	int frames = 0;
	std::size_t pos = 0;
	for (;;)
	{
		if (c.in.size() - pos < 2)
			break;
		auto b1 = static_cast<unsigned char>(c.in[pos + 1]) & 0x7F;
		std::size_t header = 2;
		std::uint64_t len = b1;
		if (b1 == 126)
		{
			if (c.in.size() - pos < 4) break;
			len = (static_cast<unsigned char>(c.in[pos + 2]) << 8) | static_cast<unsigned char>(c.in[pos + 3]);
			header = 4;
		}
		else if (b1 == 127)
		{
			if (c.in.size() - pos < 10) break;
			len = 0;
			for (int i = 0; i < 8; ++i)
				len = (len << 8) | static_cast<unsigned char>(c.in[pos + 2 + i]);
			header = 10;
		}
		if (c.in.size() - pos < header + len)
			break;
		if ((c.in[pos] & 0x0F) == 0x1)
			++frames;
		pos += header + len;
	}
	c.in.erase(0, pos);
	return frames;
}

// Reads what a ready connection has; returns how many complete text frames
// that gave (0 when nothing could be read).
int readFrames(Conn& c)
{
	char buf[65536];
	ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n <= 0)
		return 0;
	c.in.append(buf, static_cast<std::size_t>(n));
	return takeFrames(c);
}

// Connects, upgrades and authenticates (blocking); returns the fd or -1.
int openClient(int port, const std::string& token)
{
	int fd = camsvc::test::connectLoopback(port);
	if (fd < 0)
		return -1;
	std::string req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
	if (!sendAll(fd, req))
	{
		::close(fd);
		return -1;
	}
	std::string resp;
	char buf[4096];
	while (resp.find("\r\n\r\n") == std::string::npos)
	{
		ssize_t n = ::recv(fd, buf, sizeof buf, 0);
		if (n <= 0)
		{
			::close(fd);
			return -1;
		}
		resp.append(buf, static_cast<std::size_t>(n));
	}
	if (resp.find(" 101 ") == std::string::npos)
	{
		::close(fd);
		return -1;
	}
	Conn c;
	c.in = resp.substr(resp.find("\r\n\r\n") + 4);
	sendAll(fd, maskedTextFrame(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + token + R"("},"id":0})"));
	while (takeFrames(c) == 0)
	{
		ssize_t n = ::recv(fd, buf, sizeof buf, 0);
		if (n <= 0)
		{
			::close(fd);
			return -1;
		}
		c.in.append(buf, static_cast<std::size_t>(n));
	}
	return fd;
}

double percentile(std::vector<double>& v, double p)
{
	if (v.empty())
		return 0;
	std::size_t k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
	std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
	return v[k];
}

long rssKb(int pid)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(in, line))
		if (line.rfind("VmRSS:", 0) == 0)
			return std::stol(line.substr(6));
	return -1;
}

struct Bench
	/// The connected clients and what the modes share.
{
	int port = 0;
	int serverPid = 0;
	double seconds = 0;
	std::vector<Conn> conns;
	int ep = -1; // epoll over every connection
	double setupSeconds = 0;
	long rssBefore = -1;
	std::vector<double> latencies;
	epoll_event events[512];

	int notifyMode(int rounds);
	int idleMode(double hold);
	int pingMode();
};

bool connectAll(Bench& b, int connections, const std::string& token)
	/// Opens and authenticates every connection, adds it to the epoll set.
{
	b.rssBefore = b.serverPid ? rssKb(b.serverPid) : -1;
	b.conns.resize(static_cast<std::size_t>(connections));
	auto setupStart = Clock::now();
	for (auto& c: b.conns)
	{
		c.fd = openClient(b.port, token);
		if (c.fd < 0)
		{
			std::fprintf(stderr, "connection failed after %zu\n", static_cast<std::size_t>(&c - b.conns.data()));
			return false;
		}
	}
	b.setupSeconds = std::chrono::duration<double>(Clock::now() - setupStart).count();
	b.ep = ::epoll_create1(0);
	for (std::size_t i = 0; i < b.conns.size(); ++i)
	{
		epoll_event ev{};
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		::epoll_ctl(b.ep, EPOLL_CTL_ADD, b.conns[i].fd, &ev);
	}
	b.latencies.reserve(4000000);
	return true;
}

int Bench::notifyMode(int rounds)
	/// --mode=notify: one event published per round, its delivery time to every connection.
{
	const int connections = static_cast<int>(conns.size());
	char buf[65536];
	int trigger = openClient(port, "test:admin:trigger:" + std::to_string(std::time(nullptr) + 86400));
	if (trigger < 0)
		return 1;
	const std::string publish = maskedTextFrame(R"({"jsonrpc":"2.0","method":"test.publish","params":{"count":1},"id":1})");
	std::uint64_t delivered = 0, missed = 0;
	for (int r = 0; r < rounds; ++r)
	{
		auto sentAt = Clock::now();
		sendAll(trigger, publish);
		int got = 0;
		auto deadline = sentAt + std::chrono::seconds(2);
		while (got < connections && Clock::now() < deadline)
		{
			int n = ::epoll_wait(ep, events, 512, 100);
			// One timestamp per wake-up, taken before reading: the data of
			// every ready socket had arrived by then, so reading 1,000
			// sockets in this one thread does not inflate the figures.
			double at = std::chrono::duration<double, std::milli>(Clock::now() - sentAt).count();
			for (int i = 0; i < n; ++i)
			{
				Conn& c = conns[events[i].data.u64];
				for (int f = readFrames(c); f > 0; --f, ++got)
					latencies.push_back(at);
			}
		}
		delivered += static_cast<std::uint64_t>(got);
		missed += static_cast<std::uint64_t>(connections - got);
		while (::recv(trigger, buf, sizeof buf, MSG_DONTWAIT) > 0) // its answer and its own copy of the event
			;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	std::vector<double> all = latencies;
	std::printf("mode=notify connections=%d rounds=%d delivered=%llu missed=%llu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
		connections, rounds, static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(missed),
		percentile(latencies, 0.5), percentile(latencies, 0.99), all.empty() ? 0 : *std::max_element(all.begin(), all.end()));
	return missed == 0 ? 0 : 2;
}

int Bench::idleMode(double hold)
	/// --mode=idle: connections held idle (server memory), then one ping each at once.
{
	const int connections = static_cast<int>(conns.size());
	const std::string ping = maskedTextFrame(R"({"jsonrpc":"2.0","method":"ping","id":1})");
	std::this_thread::sleep_for(std::chrono::duration<double>(hold));
	long rssHeld = serverPid ? rssKb(serverPid) : -1;
	auto burstStart = Clock::now();
	for (auto& c: conns)
	{
		c.sentAt = Clock::now();
		c.waiting = true;
		sendAll(c.fd, ping);
	}
	int answered = 0;
	auto deadline = Clock::now() + std::chrono::seconds(30);
	while (answered < connections && Clock::now() < deadline)
	{
		int n = ::epoll_wait(ep, events, 512, 1000);
		for (int i = 0; i < n; ++i)
		{
			Conn& c = conns[events[i].data.u64];
			if (readFrames(c) > 0 && c.waiting)
			{
				c.waiting = false;
				++answered;
				latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - c.sentAt).count());
			}
		}
	}
	double burst = std::chrono::duration<double>(Clock::now() - burstStart).count();
	long rssAfter = serverPid ? rssKb(serverPid) : -1;
	std::printf("mode=idle connections=%d answered=%d setup_s=%.2f burst_s=%.3f p50_ms=%.2f p99_ms=%.2f "
		"server_rss_kb_before=%ld server_rss_kb_held=%ld server_rss_kb_after=%ld\n",
		connections, answered, setupSeconds, burst, percentile(latencies, 0.5), percentile(latencies, 0.99),
		rssBefore, rssHeld, rssAfter);
	return answered == connections ? 0 : 2;
}

int Bench::pingMode()
	/// --mode=ping: every connection pings in a loop for --seconds; throughput and latency.
{
	const int connections = static_cast<int>(conns.size());
	const std::string ping = maskedTextFrame(R"({"jsonrpc":"2.0","method":"ping","id":1})");
	auto start = Clock::now();
	auto end = start + std::chrono::duration<double>(seconds);
	for (auto& c: conns)
	{
		c.sentAt = Clock::now();
		sendAll(c.fd, ping);
	}
	std::uint64_t done = 0;
	while (Clock::now() < end)
	{
		int n = ::epoll_wait(ep, events, 512, 100);
		for (int i = 0; i < n; ++i)
		{
			Conn& c = conns[events[i].data.u64];
			int frames = readFrames(c);
			for (int f = 0; f < frames; ++f)
			{
				auto now = Clock::now();
				latencies.push_back(std::chrono::duration<double, std::milli>(now - c.sentAt).count());
				++done;
				c.sentAt = now;
				sendAll(c.fd, ping);
			}
		}
	}
	double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
	std::printf("mode=ping connections=%d requests=%llu seconds=%.2f req_per_s=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f\n",
		connections, static_cast<unsigned long long>(done), elapsed, static_cast<double>(done) / elapsed,
		percentile(latencies, 0.5), percentile(latencies, 0.9), percentile(latencies, 0.99), percentile(latencies, 0.999));
	return 0;
}

} // namespace

int main(int argc, char** argv)
{
	camsvc::bench::BenchArgs args(argc, argv);
	Bench b;
	b.port = args.getInt("port", 8002);
	std::string mode = args.get("mode", "ping");
	int connections = args.getInt("connections", 16);
	b.seconds = args.getDouble("seconds", 10);
	b.serverPid = args.getInt("server-pid", 0);
	std::string token = args.get("token", "test:viewer:bench:" + std::to_string(std::time(nullptr) + 86400));

	rlimit limit{};
	::getrlimit(RLIMIT_NOFILE, &limit);
	limit.rlim_cur = limit.rlim_max;
	::setrlimit(RLIMIT_NOFILE, &limit);

	if (!connectAll(b, connections, token))
		return 1;
	if (mode == "notify")
		return b.notifyMode(args.getInt("rounds", 200));
	if (mode == "idle")
		return b.idleMode(args.getDouble("hold", 3));
	return b.pingMode();
}
