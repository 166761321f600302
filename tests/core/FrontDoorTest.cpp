//
// FrontDoorTest.cpp
//
// The service's port tried as an attacker on the LAN would, through the real
// binary: slow and half-open HTTP requests, bodies larger than allowed (sent
// with Content-Length, chunked, or without end), ambiguous framing,
// downloads nobody reads, anonymous WebSockets parking data, TLS clients
// that never finish the handshake, one connection flooding the workers,
// pipelined authenticate, bad close frames and bad UTF-8, integers beyond
// int64 — and in each case the next honest client is still answered, and
// nothing is held that the limits do not allow.
//

#include "support/HttpClient.h"
#include "support/ProcStatus.h"
#include "support/RawClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/JSON/Parser.h>
#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <memory>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

namespace {

ServerProcess::Options options(std::map<std::string, std::string> defines = {}, std::vector<std::string> plugins = {"test_auth", "test_tools"})
{
	return ServerProcess::Options::of(std::move(plugins), std::move(defines));
}

long millisSince(Clock::time_point start)
{
	return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

long honestClientMillis(int port)
	/// A new WebSocket client's authenticate + ping, and a GET /health: the
	/// slower of the two, in milliseconds.
{
	auto start = Clock::now();
	RpcClient client(port);
	client.authenticateAs("viewer");
	EXPECT_EQ(client.result("ping").toString(), "pong");
	long ws = millisSince(start);
	start = Clock::now();
	EXPECT_EQ(httpRequest(port, "GET", "/health").first, 200);
	return std::max(ws, millisSince(start));
}

std::string statusLine(const std::string& response)
{
	return response.substr(0, response.find("\r\n"));
}

Poco::JSON::Object::Ptr json(const std::string& text)
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(FrontDoor, TricklingAndHalfOpenRequestsDoNotStallAnyone)
{
	ServerProcess server(options({{"server.http.header_timeout", "2"}}));
	std::vector<std::unique_ptr<RawClient>> slow;
	for (int i = 0; i < 300; ++i)
	{
		slow.push_back(std::make_unique<RawClient>(server.port()));
		slow.back()->send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
	}
	for (int round = 0; round < 3; ++round)
		for (auto& c: slow)
			c->send("a");
	EXPECT_LT(honestClientMillis(server.port()), 2000) << "every HTTP thread was held by a slow client before";
	// The header deadline ends them all (2 s here), with a 408-style close, not a held thread.
	auto start = Clock::now();
	for (auto& c: slow)
		EXPECT_NE(c->waitEnd(6000), RawClient::End::Timeout);
	EXPECT_LT(millisSince(start), 6000);
}

TEST(FrontDoor, HeadLargerThanTheCapIs431)
{
	ServerProcess server(options({{"server.http.max_header_size", "4096"}}));
	RawClient c(server.port());
	c.send("GET /health HTTP/1.1\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
	EXPECT_EQ(statusLine(c.receiveUntil("\r\n\r\n", 3000)), "HTTP/1.1 431 Request Header Fields Too Large");
	EXPECT_EQ(c.waitEnd(3000), RawClient::End::Fin);
}

TEST(FrontDoor, BodiesOverTheCapAre413WithNothingBuffered)
{
	ServerProcess server(options({{"server.http.max_body_size", "65536"}}));
	{
		RawClient c(server.port());
		c.send("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
		EXPECT_EQ(statusLine(c.receiveUntil("\r\n\r\n", 3000)), "HTTP/1.1 413 Request Entity Too Large");
	}
	// Chunked, no token, and far more than the cap: refused while reading,
	// the server's memory does not follow what is sent.
	long before = residentKb(server.pid());
	RawClient c(server.port());
	c.send("POST /rpc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
	std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
	std::size_t sent = 0;
	while (sent < 64u * 1024 * 1024 && c.send(chunk))
		sent += chunk.size();
	std::string answer = c.receiveUntil("\r\n\r\n", 3000);
	EXPECT_EQ(statusLine(answer), "HTTP/1.1 413 Request Entity Too Large");
	EXPECT_LT(sent, 64u * 1024 * 1024) << "the server kept reading (and dropping) forever after the 413";
	EXPECT_LT(residentKb(server.pid()) - before, 10 * 1024);
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200);
}

TEST(FrontDoor, AmbiguousFramingIsRefused)
{
	ServerProcess server(options());
	auto answer = [&](const std::string& request) {
		RawClient c(server.port());
		c.send(request);
		return statusLine(c.receiveUntil("\r\n\r\n", 3000));
	};
	EXPECT_EQ(answer("POST /rpc HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("POST /rpc HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("POST /rpc HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("POST /rpc HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"), "HTTP/1.1 501 Not Implemented");
	EXPECT_EQ(answer("POST /rpc HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("POST /rpc HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("GARBAGE\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(answer("GET / HTTP/2.0\r\n\r\n"), "HTTP/1.1 505 HTTP Version Not Supported");
}

TEST(FrontDoor, ChunkedRpcKeepAliveAndPipelining)
{
	ServerProcess server(options());
	std::string body = R"({"jsonrpc":"2.0","method":"ping","id":7})";
	std::string token = testToken("viewer");
	RawClient c(server.port());
	// A chunked request and a Content-Length one in a single write: both answered, in order, on one connection.
	std::ostringstream hex;
	hex << std::hex << body.size();
	c.send("POST /rpc HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\nTransfer-Encoding: chunked\r\n\r\n"
		+ hex.str() + ";ext=1\r\n" + body + "\r\n0\r\nX-Trailer: y\r\n\r\n"
		+ "POST /rpc HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
	std::string first = c.receiveUntil("\"pong\"}", 3000);
	EXPECT_EQ(statusLine(first), "HTTP/1.1 200 OK");
	std::string second = c.receiveUntil("\"pong\"}", 3000);
	EXPECT_EQ(statusLine(second), "HTTP/1.1 200 OK");
	EXPECT_EQ(c.end(), RawClient::End::Open) << "keep-alive";
	// Expect: 100-continue gets its interim answer before the body is sent.
	c.send("POST /rpc HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\nExpect: 100-continue\r\nContent-Length: "
		+ std::to_string(body.size()) + "\r\n\r\n");
	EXPECT_EQ(statusLine(c.receiveUntil("\r\n\r\n", 3000)), "HTTP/1.1 100 Continue");
	c.send(body);
	EXPECT_EQ(statusLine(c.receiveUntil("\"pong\"}", 3000)), "HTTP/1.1 200 OK");
	// HTTP/1.0 without keep-alive is closed after its answer.
	RawClient old(server.port());
	old.send("GET /health HTTP/1.0\r\n\r\n");
	EXPECT_EQ(statusLine(old.receiveUntil("\r\n\r\n", 3000)), "HTTP/1.1 200 OK");
	EXPECT_EQ(old.waitEnd(3000), RawClient::End::Fin);
}

TEST(FrontDoor, StreamedBodiesAreChunkedAndEndTheConnection)
{
	ServerProcess server(options());
	RawClient c(server.port());
	c.send("GET /test/stream HTTP/1.1\r\nAuthorization: Bearer " + testToken("viewer") + "\r\n\r\n");
	std::string head = c.receiveUntil("\r\n\r\n", 3000);
	EXPECT_EQ(statusLine(head), "HTTP/1.1 200 OK");
	EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos);
	EXPECT_EQ(head.find("Content-Length"), std::string::npos);
	std::string body = c.receiveUntil("0\r\n\r\n", 3000);
	EXPECT_EQ(body, "8\r\npiece-0\n\r\n8\r\npiece-1\n\r\n8\r\npiece-2\n\r\n8\r\npiece-3\n\r\n8\r\npiece-4\n\r\n0\r\n\r\n");
	EXPECT_EQ(c.waitEnd(3000), RawClient::End::Fin);
	// A client that leaves mid-stream: the writer sees the stream closed, the server carries on.
	{
		RawClient leaving(server.port());
		leaving.send("GET /test/stream HTTP/1.1\r\nAuthorization: Bearer " + testToken("viewer") + "\r\n\r\n");
		leaving.receiveUntil("piece-0", 3000);
	}
	EXPECT_TRUE(waitUntil([&] { return tcpQueues(server.port()).open == 0; }, 3000)) << "the server closes the left stream";
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200);
}

TEST(FrontDoor, KeepAliveConnectionsIdleOutAndTheConnectionLimitHolds)
{
	ServerProcess server(options({{"server.http.keepalive_timeout", "1"}, {"server.connection_limit_exempt", ""},
		{"server.max_connections_per_address", "5"}}));
	RawClient idle(server.port());
	idle.send("GET /health HTTP/1.1\r\n\r\n");
	EXPECT_EQ(statusLine(idle.receiveUntil("\r\n\r\n", 3000)), "HTTP/1.1 200 OK");
	EXPECT_EQ(idle.waitEnd(4000), RawClient::End::Fin) << "an idle keep-alive connection is closed";

	std::vector<std::unique_ptr<RawClient>> held;
	for (int i = 0; i < 5; ++i)
		held.push_back(std::make_unique<RawClient>(server.port()));
	RawClient sixth(server.port());
	EXPECT_NE(sixth.waitEnd(3000), RawClient::End::Timeout) << "over server.max_connections_per_address";
	held.clear();
	EXPECT_TRUE(waitUntil([&] { return tcpQueues(server.port()).open == 0; }, 3000)) << "the server sees the closes";
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200);
}

TEST(FrontDoor, DownloadsNobodyReadsHoldNoThreadAndTimeOut)
{
	ServerProcess::Options o = options({{"server.http.send_timeout", "2"}}, {"test_auth", "storage"});
	std::string media = makeTempDir("camsvc-media");
	o.stateDir = media; // storage.recordings.path is <state>/recordings
	std::filesystem::create_directories(media + "/recordings");
	{
		int fd = ::open((media + "/recordings/camera0_2026-01-01_00-00-00.mp4").c_str(), O_CREAT | O_WRONLY, 0600);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(::ftruncate(fd, 64 * 1024 * 1024), 0); // sparse: 64 MiB nobody will read
		::close(fd);
	}
	ServerProcess server(o);
	std::string request = "GET /files/recordings/camera0_2026-01-01_00-00-00.mp4 HTTP/1.1\r\nAuthorization: Bearer "
		+ testToken("viewer") + "\r\n\r\n";
	std::vector<std::unique_ptr<RawClient>> stalled;
	for (int i = 0; i < 50; ++i)
	{
		stalled.push_back(std::make_unique<RawClient>(server.port(), 4096));
		stalled.back()->send(request);
	}
	for (auto& c: stalled) // every download has started
		ASSERT_EQ(statusLine(c->receiveUntil("\r\n\r\n", 5000)), "HTTP/1.1 200 OK");
	EXPECT_LT(honestClientMillis(server.port()), 2000) << "downloads held every HTTP thread before";
	EXPECT_LT(threadCount(server.pid()), 40);
	// Nothing is read for longer than server.http.send_timeout (2 s): the server
	// lets them go; what is left to read then is what was in flight.
	std::this_thread::sleep_for(std::chrono::milliseconds(3500)); // the behaviour under test: not reading
	for (std::size_t i = 0; i < stalled.size(); ++i)
		EXPECT_NE(stalled[i]->waitEnd(2000), RawClient::End::Timeout) << "stalled download " << i;
	// A reader that does read gets the whole file.
	RawClient reader(server.port());
	reader.send("GET /files/recordings/camera0_2026-01-01_00-00-00.mp4 HTTP/1.1\r\nRange: bytes=0-1048575\r\nAuthorization: Bearer "
		+ testToken("viewer") + "\r\n\r\n");
	std::string head = reader.receiveUntil("\r\n\r\n", 3000);
	EXPECT_EQ(statusLine(head), "HTTP/1.1 206 Partial Content");
	EXPECT_EQ(reader.receive(3000, 1048576).size(), 1048576u);
	removeTree(media);
}

TEST(FrontDoor, AnonymousWebSocketsParkLittleAndMustAuthenticateInTime)
{
	ServerProcess server(options({{"server.websocket.auth_timeout", "2"}}));
	// Over the anonymous allowance (64 KiB by default): 1009, even as fragments.
	RawClient big(server.port());
	ASSERT_TRUE(big.upgrade());
	big.send(RawClient::frame(0x1, std::string(40000, ' '), false) + RawClient::frame(0x0, std::string(40000, ' '), false));
	std::uint8_t opcode = 0;
	std::string payload;
	ASSERT_TRUE(big.readFrame(opcode, payload, 3000));
	EXPECT_EQ(opcode, 0x8);
	EXPECT_EQ(RawClient::closeCode(payload), 1009);
	// Authenticated, the same message is fine.
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	EXPECT_EQ(client.errorCode("test.sleep", RpcClient::params({{"ms", 0}, {"pad", std::string(200000, 'p')}})), -32602)
		<< "a large message is read once authenticated (and then refused on its params)";

	// 300 anonymous connections each parking just under the allowance: bounded memory.
	long before = residentKb(server.pid());
	std::vector<std::unique_ptr<RawClient>> parked;
	for (int i = 0; i < 300; ++i)
	{
		parked.push_back(std::make_unique<RawClient>(server.port()));
		ASSERT_TRUE(parked.back()->upgrade());
		parked.back()->send(RawClient::frame(0x1, std::string(60000, 'x'), false));
	}
	EXPECT_TRUE(waitUntil([&] { return tcpQueues(server.port()).unread == 0; }, 5000)) << "the server has read what was parked";
	EXPECT_LT(residentKb(server.pid()) - before, 50 * 1024);
	// None of them authenticates: all closed with 1008 once server.websocket.auth_timeout passes.
	for (auto& c: parked)
	{
		bool closed = false;
		while (c->readFrame(opcode, payload, 5000))
			if (opcode == 0x8)
			{
				EXPECT_EQ(RawClient::closeCode(payload), 1008);
				closed = true;
				break;
			}
		EXPECT_TRUE(closed);
	}
	EXPECT_EQ(client.result("ping").toString(), "pong") << "an authenticated connection is not timed out";
}

TEST(FrontDoor, OversizedMessageClosesCleanlyAfterTheRepliesAlreadyDue)
{
	ServerProcess server(options({{"server.websocket.max_message_size", "4096"}}));
	RawClient c(server.port());
	ASSERT_TRUE(c.upgrade());
	c.send(RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":1})"));
	std::uint8_t opcode = 0;
	std::string payload;
	ASSERT_TRUE(c.readFrame(opcode, payload, 3000));
	// A request and a message over the limit in one write: the answer, then 1009, then an orderly end.
	c.send(RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"ping","id":2})") + RawClient::frame(0x1, std::string(10000, ' ')));
	ASSERT_TRUE(c.readFrame(opcode, payload, 3000));
	EXPECT_EQ(opcode, 0x1);
	EXPECT_NE(payload.find("pong"), std::string::npos);
	ASSERT_TRUE(c.readFrame(opcode, payload, 3000));
	EXPECT_EQ(opcode, 0x8);
	EXPECT_EQ(RawClient::closeCode(payload), 1009);
	c.send(RawClient::frame(0x8, std::string("\x03\xf1", 2)));
	EXPECT_EQ(c.waitEnd(3000), RawClient::End::Fin) << "the client reads the close, not a reset";
}

TEST(FrontDoor, CloseCodesAndTextAreValidated)
{
	ServerProcess server(options());
	auto replyTo = [&](const std::string& closePayload) {
		RawClient c(server.port());
		EXPECT_TRUE(c.upgrade());
		c.send(RawClient::frame(0x8, closePayload));
		std::uint8_t opcode = 0;
		std::string payload;
		if (!c.readFrame(opcode, payload, 3000) || opcode != 0x8)
			return -2;
		return payload.empty() ? 1000 : RawClient::closeCode(payload);
	};
	auto code = [](int c) { return std::string{static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)}; };
	EXPECT_EQ(replyTo(code(1000)), 1000);
	EXPECT_EQ(replyTo(code(4000) + "bye"), 4000);
	EXPECT_EQ(replyTo(""), 1000);
	for (int bad: {0, 999, 1004, 1005, 1006, 1015, 2999, 5000})
		EXPECT_EQ(replyTo(code(bad)), 1002) << bad;
	EXPECT_EQ(replyTo("\x03"), 1002) << "a one-byte close payload";
	EXPECT_EQ(replyTo(code(1000) + "\xff\xfe"), 1007) << "invalid UTF-8 reason";

	RawClient text(server.port());
	ASSERT_TRUE(text.upgrade());
	text.send(RawClient::frame(0x1, "{\"a\":\"\xc3\x28\"}"));
	std::uint8_t opcode = 0;
	std::string payload;
	ASSERT_TRUE(text.readFrame(opcode, payload, 3000));
	EXPECT_EQ(opcode, 0x8);
	EXPECT_EQ(RawClient::closeCode(payload), 1007);
}

TEST(FrontDoor, AuthenticateIsABarrierForTheCallsPipelinedBehindIt)
{
	ServerProcess server(options());
	for (int round = 0; round < 20; ++round)
	{
		RawClient c(server.port());
		ASSERT_TRUE(c.upgrade());
		c.send(RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":1})")
			+ RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"ping","id":2})")
			+ RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":0},"id":3})"));
		for (int i = 0; i < 3; ++i)
		{
			std::uint8_t opcode = 0;
			std::string payload;
			ASSERT_TRUE(c.readFrame(opcode, payload, 3000));
			EXPECT_EQ(payload.find("-32001"), std::string::npos) << "round " << round << ": " << payload;
		}
	}
}

TEST(FrontDoor, OneConnectionCannotHoldEveryWorker)
{
	ServerProcess server(options({{"server.worker_threads", "4"}, {"server.rpc.max_running_per_connection", "2"},
		{"server.rpc.max_queued_per_connection", "8"}}));
	RawClient flood(server.port());
	ASSERT_TRUE(flood.upgrade());
	flood.send(RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":0})"));
	std::uint8_t authOpcode = 0;
	std::string authAnswer;
	ASSERT_TRUE(flood.readFrame(authOpcode, authAnswer, 3000));
	std::string burst;
	for (int i = 1; i <= 64; ++i)
		burst += RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":1500},"id":)" + std::to_string(i) + "}");
	flood.send(burst);
	EXPECT_TRUE(waitUntil([&] { return tcpQueues(server.port()).unread == 0; }, 3000)) << "the server has read the burst";
	EXPECT_LT(honestClientMillis(server.port()), 1000) << "another client waits for the flood's sleeps";
	// The flood itself: 2 running + 8 queued accepted, the rest answered -32002 busy at once.
	int busy = 0;
	for (int i = 0; i < 64; ++i)
	{
		std::uint8_t opcode = 0;
		std::string payload;
		if (!flood.readFrame(opcode, payload, 500))
			break;
		if (payload.find("\"busy\"") != std::string::npos)
		{
			EXPECT_NE(payload.find("-32002"), std::string::npos);
			++busy;
		}
	}
	// 2 running + 8 queued accepted (1 running if the authenticate's worker had
	// not quite returned when the burst arrived).
	EXPECT_GE(busy, 64 - 2 - 8);
	EXPECT_LE(busy, 64 - 1 - 8);
}

TEST(FrontDoor, LargeBatchesAreBoundedAndRunOffTheIoThread)
{
	ServerProcess server(options({{"server.rpc.max_batch_size", "100"}}));
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto batch = [](int n) {
		std::string text = "[";
		for (int i = 0; i < n; ++i)
			text += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","method":"ping","id":)" + std::to_string(i) + "}";
		return text + "]";
	};
	client.sendText(batch(101));
	auto refused = json(client.receiveReply());
	EXPECT_EQ(refused->getObject("error")->getValue<int>("code"), -32600);
	EXPECT_EQ(refused->getObject("error")->getObject("data")->getValue<std::string>("reason"), "batch_too_large");
	client.sendText(batch(100));
	std::string text = client.receiveReply();
	ASSERT_EQ(text[0], '[') << text.substr(0, 300);
	auto answers = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
	EXPECT_EQ(answers->size(), 100u);
}

TEST(FrontDoor, IntegersBeyondInt64AreRefusedNotWrapped)
{
	ServerProcess server(options());
	RpcClient client(server.port());
	client.authenticateAs("admin");
	client.sendText(R"({"jsonrpc":"2.0","method":"ping","id":18446744073709551616})");
	auto r = json(client.receiveReply());
	EXPECT_TRUE(r->isNull("id")) << "never answered as id 0";
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32600);
	EXPECT_EQ(r->getObject("error")->getObject("data")->getValue<std::string>("reason"), "integer_out_of_range");
	client.sendText(R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":18446744073709551617},"id":2})");
	EXPECT_EQ(json(client.receiveReply())->getObject("error")->getValue<int>("code"), -32600);
	client.sendText(R"({"jsonrpc":"2.0","method":"test.echo","params":{"n":-9223372036854775808,"s":"18446744073709551616"},"id":3})");
	auto echoed = json(client.receiveReply());
	ASSERT_TRUE(echoed->has("result")) << "int64's own range and digits in strings are fine";
	EXPECT_EQ(echoed->getObject("result")->getValue<Poco::Int64>("n"), std::numeric_limits<Poco::Int64>::min());
}

TEST(FrontDoor, FailedConnectionSetupsLeaveNoDescriptors)
{
	ServerProcess server(options({{"server.connection_limit_exempt", ""}, {"server.max_connections_per_address", "20"},
		{"server.http.header_timeout", "1"}}));
	ASSERT_TRUE(waitUntil([&] { return tcpQueues(server.port()).open == 0; }, 3000)) << "the start-up health check's connection is gone";
	long baseline = openDescriptors(server.pid());
	for (int round = 0; round < 3; ++round)
	{
		std::vector<std::unique_ptr<RawClient>> clients;
		for (int i = 0; i < 40; ++i) // half of them over the per-address limit
		{
			clients.push_back(std::make_unique<RawClient>(server.port()));
			clients.back()->send(i % 2 ? "garbage\r\n\r\n" : "GET /health HTTP/1.1\r\n");
		}
	}
	EXPECT_TRUE(waitUntil([&] { return openDescriptors(server.pid()) <= baseline; }, 5000))
		<< openDescriptors(server.pid()) << " descriptors, " << baseline << " before";
}

} // namespace
