//
// SilentCameraServerTest.cpp
//
// A network camera that accepts the connection and then never sends a
// byte, hammered with take_snapshot from several connections: every call
// fails with -32004 no_frame within the documented bound, and another
// client's calls are answered meanwhile (before, 64 such calls held all 8
// workers and a list_recordings waited 23.5 s).
//

#include "../recording/CaptureServer.h"
#include "support/ProcStatus.h"
#include "support/RawClient.h"
#include "support/WaitUntil.h"
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

TEST(SilentCamera, SnapshotsFailWithinTheBoundAndHoldNoOneElseUp)
{
	Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
	std::vector<Poco::Net::StreamSocket> accepted; // held open, never written to
	std::atomic<bool> stop{false};
	std::thread acceptor([&] {
		listener.setReceiveTimeout(Poco::Timespan(0, 100000));
		while (!stop)
		{
			try
			{
				if (listener.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ))
					accepted.push_back(listener.acceptConnection());
			}
			catch (...)
			{
			}
		}
	});
	ServerProcess::Options o = captureServerOptions();
	o.defines["cameras.sources.silent.url"] = "tcp://127.0.0.1:" + std::to_string(listener.address().port());
	o.defines["cameras.sources.silent.index"] = "9";
	o.defines["snapshots.frame_timeout_ms"] = "1000";
	ServerProcess server(o);

	std::string request;
	for (int i = 1; i <= 8; ++i)
		request += RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"take_snapshot","params":{"device":"camera9"},"id":)" + std::to_string(i) + "}");
	std::vector<std::unique_ptr<RawClient>> floods;
	for (int c = 0; c < 8; ++c)
	{
		floods.push_back(std::make_unique<RawClient>(server.port()));
		ASSERT_TRUE(floods.back()->upgrade());
		floods.back()->send(RawClient::frame(0x1, R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")"
			+ testToken("operator") + R"("},"id":0})"));
		std::uint8_t opcode = 0;
		std::string payload;
		ASSERT_TRUE(floods.back()->readFrame(opcode, payload, 3000));
	}
	auto start = Clock::now();
	for (auto& f: floods)
		f->send(request); // 64 snapshots of a camera that never delivers
	EXPECT_TRUE(waitUntil([&] { return tcpQueues(server.port()).unread == 0; }, 3000)) << "the server has read every request";

	auto other = Clock::now();
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	EXPECT_FALSE(client.result("list_recordings").isEmpty());
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - other).count(), 2500)
		<< "another client waited for the silent camera";

	int noFrame = 0;
	for (auto& f: floods)
		for (int i = 0; i < 8; ++i)
		{
			std::uint8_t opcode = 0;
			std::string payload;
			ASSERT_TRUE(f->readFrame(opcode, payload, 10000));
			auto answer = parseObject(payload);
			ASSERT_TRUE(answer->has("error")) << payload;
			EXPECT_EQ(answer->getObject("error")->getValue<int>("code"), -32004);
			noFrame += answer->getObject("error")->getObject("data")->getValue<std::string>("reason") == "no_frame";
		}
	EXPECT_EQ(noFrame, 64);
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count(), 4000)
		<< "64 calls answered within a few frame timeouts, not one after another";
	stop = true;
	acceptor.join();
}
