//
// MediaMtxServerTest.cpp
//
// Streaming methods through the running server, with the MediaMTX test
// double present, restarted, and absent.
//

#include "MediaMtxDouble.h"
#include "support/FfmpegCamera.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

ServerProcess::Options streamingServer(const std::string& apiUrl, std::map<std::string, std::string> defines = {})
{
	return ServerProcess::Options::of({"test_auth", "cameras", "mediamtx"},
		{{"cameras.sources.pattern.url", "testsrc://?size=320x240&rate=15"}, {"cameras.v4l2.enabled", "false"},
			{"mediamtx.api.url", apiUrl}, {"mediamtx.api.timeout_ms", "500"},
			{"mediamtx.rtsp.url", "rtsp://127.0.0.1:" + std::to_string(ServerProcess::freePort())}, // nobody listens: publishing retries
			{"mediamtx.public_host", "media.example"}, {"mediamtx.rtsp_port", "8554"}, {"mediamtx.reconcile_interval_ms", "200"}},
		defines);
}

bool eventually(const std::function<bool()>& condition, int timeoutMs = 5000)
{
	return waitUntil(condition, timeoutMs, 50);
}

auto device = [] { return RpcClient::params({{"device", "camera100"}}); };

struct StreamingService
	/// The MediaMTX double, the server streaming to it, an operator's connection.
{
	explicit StreamingService(std::map<std::string, std::string> defines = {}):
		server(streamingServer(mtx.url(), std::move(defines))), client(server.port())
	{
		client.authenticateAs("operator");
	}

	MediaMtxDouble mtx;
	ServerProcess server;
	RpcClient client;
};

TEST(MediaMtxServer, StartStatusStreamsAndStop)
{
	StreamingService service;
	auto& [mtx, server, client] = service;
	auto started = client.result("start_streaming", device()).extract<Object::Ptr>();
	EXPECT_EQ(started->getValue<std::string>("status"), "STARTED");
	EXPECT_EQ(started->getValue<std::string>("stream_name"), "camera100");
	EXPECT_EQ(started->getValue<std::string>("stream_url"), "rtsp://media.example:8554/camera100");
	EXPECT_EQ(started->getObject("streams")->getValue<std::string>("hls"), "http://media.example:8888/camera100");
	EXPECT_EQ(started->getObject("streams")->getValue<std::string>("webrtc"), "http://media.example:8889/camera100/webrtc");
	ASSERT_TRUE(mtx.hasPath("camera100"));
	EXPECT_EQ(mtx.pathConfig("camera100")->getValue<std::string>("source"), "publisher");
	EXPECT_EQ(client.result("start_streaming", device()).extract<Object::Ptr>()->getValue<std::string>("status"), "STREAMING");

	auto idle = client.result("get_stream_status", device()).extract<Object::Ptr>();
	EXPECT_FALSE(idle->getValue<bool>("available"));
	mtx.setPublisher("camera100", true, 5000, 3);
	auto live = client.result("get_stream_status", device()).extract<Object::Ptr>();
	EXPECT_EQ(live->getValue<std::string>("status"), "STREAMING");
	EXPECT_EQ(live->getValue<int>("readers"), 3);
	EXPECT_EQ(live->getValue<int>("bytes_sent"), 15000);
	// get_stream_url answers from the reconcile pass's view (every 200 ms here).
	EXPECT_TRUE(eventually([&] { return client.result("get_stream_url", device()).extract<Object::Ptr>()->getValue<bool>("available"); }));
	auto streams = client.result("get_streams").extract<Object::Ptr>();
	EXPECT_EQ(streams->getValue<int>("total"), 1);
	auto s = streams->getArray("streams")->getObject(0);
	EXPECT_EQ(s->getValue<std::string>("name"), "camera100");
	EXPECT_EQ(s->getValue<std::string>("source"), "rtspSession");
	EXPECT_TRUE(s->getValue<bool>("ready"));
	EXPECT_EQ(s->getValue<int>("readers"), 3);

	auto stopped = client.result("stop_streaming", device()).extract<Object::Ptr>();
	EXPECT_EQ(stopped->getValue<std::string>("status"), "STOPPED");
	EXPECT_TRUE(stopped->getValue<bool>("was_streaming"));
	EXPECT_TRUE(eventually([&] { return !mtx.hasPath("camera100"); }));
	EXPECT_FALSE(client.result("stop_streaming", device()).extract<Object::Ptr>()->getValue<bool>("was_streaming"));
}

TEST(MediaMtxServer, PathsComeBackAfterMediaMtxRestartsOrLosesThem)
{
	StreamingService service;
	auto& [mtx, server, client] = service;
	client.result("start_streaming", device());
	mtx.restart();
	EXPECT_TRUE(eventually([&] { return mtx.hasPath("camera100"); }));
	mtx.removePathByHand("camera100");
	EXPECT_TRUE(eventually([&] { return mtx.hasPath("camera100"); }));
	mtx.stop();
	auto error = client.call("get_streams")->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32006);
	mtx.start();
	mtx.restart();
	EXPECT_TRUE(eventually([&] { return mtx.hasPath("camera100"); }));
}

Object::Ptr cameraStatus(RpcClient& client, const std::string& name = "camera100")
{
	return client.result("get_camera_status", RpcClient::params({{"device", name}})).extract<Object::Ptr>();
}

TEST(MediaMtxServer, CameraStatusShowsMediaMtxRuntimeStateAndWithholdsUrlsWhenItIsDown)
{
	StreamingService service;
	auto& [mtx, server, client] = service;
	client.result("start_streaming", device());
	mtx.setPublisher("camera100", true, 5000, 3);
	// Read by the reconcile pass (every 200 ms here), not by the call.
	ASSERT_TRUE(eventually([&] { return cameraStatus(client)->getObject("metrics")->getValue<int>("readers") == 3; }));
	auto status = cameraStatus(client);
	EXPECT_EQ(status->getObject("metrics")->getValue<int>("bytes_sent"), 15000);
	auto streams = status->getObject("streams");
	EXPECT_EQ(streams->getValue<std::string>("rtsp"), "rtsp://media.example:8554/camera100");
	EXPECT_EQ(streams->getValue<std::string>("hls"), "http://media.example:8888/camera100");
	EXPECT_EQ(streams->getValue<std::string>("webrtc"), "http://media.example:8889/camera100/webrtc");
	EXPECT_EQ(streams->getValue<std::string>("whep"), "http://media.example:8889/camera100/whep");
	EXPECT_EQ(streams->size(), 4u) << "URL strings only: the seed's map[string]string";
	EXPECT_EQ(status->getValue<std::string>("stream_status"), "ready");
	EXPECT_TRUE(status->getValue<bool>("stream_publishing"));
	auto listed = client.result("get_camera_list").extract<Object::Ptr>()->getArray("cameras")->getObject(0);
	EXPECT_EQ(listed->getValue<std::string>("stream_status"), "ready");

	mtx.stop(); // URLs would point at nothing: withheld, with the reason
	ASSERT_TRUE(eventually([&] { return !cameraStatus(client)->getObject("streams")->has("rtsp"); }));
	status = cameraStatus(client);
	EXPECT_EQ(status->getValue<std::string>("stream_status"), "unavailable");
	EXPECT_EQ(status->getValue<std::string>("stream_reason"), "mediamtx_unreachable");
	// get_stream_url follows the same rule (it used to hand out the URLs regardless).
	auto url = client.result("get_stream_url", device()).extract<Object::Ptr>();
	EXPECT_TRUE(url->isNull("stream_url"));
	EXPECT_EQ(url->getObject("streams")->size(), 0u);
	EXPECT_EQ(url->getValue<std::string>("stream_reason"), "mediamtx_unreachable");
	EXPECT_EQ(status->getObject("metrics")->getValue<int>("readers"), 0);
	EXPECT_TRUE(status->getObject("metrics")->getValue<bool>("running")); // still publishing (retrying) from the pipeline

	mtx.start();
	EXPECT_TRUE(eventually([&] { return cameraStatus(client)->getObject("streams")->has("rtsp"); }));
	EXPECT_TRUE(eventually([&] { return !client.result("get_stream_url", device()).extract<Object::Ptr>()->isNull("stream_url"); }));
}

TEST(MediaMtxServer, DisabledStreamingSaysSoEverywhere)
{
	StreamingService service(std::map<std::string, std::string>{{"mediamtx.enabled", "false"}});
	auto& [mtx, server, client] = service;
	auto status = cameraStatus(client);
	EXPECT_EQ(status->getObject("streams")->size(), 0u);
	EXPECT_EQ(status->getValue<std::string>("stream_reason"), "streaming_disabled");
	auto error = client.call("start_streaming", device())->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32006);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), "mediamtx_disabled");
	EXPECT_TRUE(client.result("get_stream_url", device()).extract<Object::Ptr>()->isNull("stream_url"));
	EXPECT_EQ(mtx.requestCount("GET") + mtx.requestCount("POST"), 0) << "a disabled integration never calls MediaMTX";
}

TEST(MediaMtxServer, AutoPublishStreamsEveryCameraWithoutAsking)
{
	MediaMtxDouble mtx;
	int port = ServerProcess::freePort();
	ServerProcess server(streamingServer(mtx.url(), {{"mediamtx.auto_publish", "true"},
		{"cameras.sources.net.url", "tcp://127.0.0.1:" + std::to_string(port)}, {"cameras.sources.net.always", "true"},
		{"cameras.restart.initial_ms", "200"}, {"cameras.restart.max_ms", "500"}}));
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	// Ids in sorted order: "net" is camera100 (its peer not up yet), "pattern" camera101.
	EXPECT_TRUE(eventually([&] { return mtx.hasPath("camera100") && mtx.hasPath("camera101"); }));
	EXPECT_TRUE(cameraStatus(client, "camera101")->getValue<bool>("stream_publishing"));
	EXPECT_TRUE(cameraStatus(client, "camera100")->getValue<bool>("stream_publishing"));
	// The network camera comes up: its packets reach the publisher (which retries the absent RTSP server).
	auto peer = ffmpegTcpCamera(port, server.stateDir() + "/ffmpeg.log");
	EXPECT_TRUE(eventually([&] { return cameraStatus(client, "camera100")->getObject("metrics")->getValue<Poco::UInt64>("bytes_encoded") > 0; },
		10000)) << peer->output();
	EXPECT_TRUE(mtx.hasPath("camera100"));
}

TEST(MediaMtxServer, AMediaMtxThatNeverAnswersDoesNotHoldViewersCalls)
{
	// Connections are accepted by the kernel, requests never answered.
	Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
	ServerProcess server(streamingServer("http://127.0.0.1:" + std::to_string(silent.address().port()),
		{{"mediamtx.api.timeout_ms", "1500"}}));
	RpcClient client(server.port());
	client.authenticateAs("operator");
	// Once the reconcile thread has found it dead, reads fail at once, not after the API timeout.
	ASSERT_TRUE(eventually([&] { return client.errorCode("get_streams") == -32006; }, 10000));
	for (std::string method: {"get_streams", "get_stream_status"})
	{
		auto began = std::chrono::steady_clock::now();
		auto error = (method == "get_streams" ? client.call(method) : client.call(method, device()))->getObject("error");
		auto took = std::chrono::steady_clock::now() - began;
		ASSERT_TRUE(error) << method;
		EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), "mediamtx_unreachable") << method;
		EXPECT_LT(took, std::chrono::milliseconds(750)) << method << " waited for MediaMTX";
	}
	EXPECT_FALSE(client.result("get_stream_url", device()).extract<Object::Ptr>()->getValue<bool>("available"));
	EXPECT_EQ(client.errorCode("start_streaming", device()), -32006); // tries, and times out once
}

TEST(MediaMtxServer, MediaMtxAbsentFailsStreamingOnly)
{
	ServerProcess server(streamingServer("http://127.0.0.1:" + std::to_string(ServerProcess::freePort())));
	RpcClient client(server.port());
	client.authenticateAs("operator");
	auto error = client.call("start_streaming", device())->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32006);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), "mediamtx_unreachable");
	EXPECT_EQ(client.errorCode("get_streams"), -32006);
	EXPECT_EQ(client.errorCode("get_stream_status", device()), -32006);
	EXPECT_FALSE(client.result("get_stream_url", device()).extract<Object::Ptr>()->getValue<bool>("available"));
	EXPECT_EQ(client.errorCode("start_streaming", RpcClient::params({{"device", "camera5"}})), -32004);
	EXPECT_EQ(client.result("get_camera_list").extract<Object::Ptr>()->getValue<int>("total"), 1); // the rest works
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	EXPECT_EQ(viewer.errorCode("start_streaming", device()), -32003);
}

} // namespace

TEST(MediaMtxServer, ReloadPointsTheApiClientAtANewAddress)
{
	MediaMtxDouble mtx;
	std::string dir = makeTempDir("camsvc-mediamtx-reload");
	std::string file = dir + "/service.properties";
	int dead = ServerProcess::freePort();
	std::ofstream(file) << "mediamtx.api.url = http://127.0.0.1:" << dead << "\n";
	ServerProcess::Options o = streamingServer("");
	o.defines.erase("mediamtx.api.url"); // from the file, so that a reload can change it
	o.extraArgs = {"--config=" + file};
	ServerProcess server(o);
	RpcClient client(server.port());
	client.authenticateAs("operator");
	ASSERT_TRUE(eventually([&] { return cameraStatus(client)->optValue<std::string>("stream_reason", "") == "mediamtx_unreachable"; }));
	EXPECT_EQ(mtx.requestCount("GET"), 0);

	std::ofstream(file) << "mediamtx.api.url = " << mtx.url() << "\n";
	::kill(server.pid(), SIGHUP);
	EXPECT_TRUE(eventually([&] { return mtx.requestCount("GET") > 0; })) << server.log();
	EXPECT_TRUE(eventually([&] { return cameraStatus(client)->optValue<std::string>("stream_reason", "") != "mediamtx_unreachable"; }))
		<< server.log();
	removeTree(dir);
}
