//
// CamerasServerTest.cpp
//
// The cameras plugin through the running server: method shapes and errors,
// and camera_status_update for a network camera that fails and recovers.
//

#include "CameraTestSupport.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <gtest/gtest.h>
#include <csignal>
#include <filesystem>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

ServerProcess::Options camerasServer(std::map<std::string, std::string> defines = {})
{
	return ServerProcess::Options::of({"test_auth", "cameras"}, {{"cameras.sources.pattern.url", "testsrc://?size=320x240&rate=15"},
		{"cameras.v4l2.device_dir", "/nonexistent-dev"}}, defines);
}

TEST(CamerasServer, CameraListHasTheSeedShape)
{
	ServerProcess server(camerasServer());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto r = client.result("get_camera_list").extract<Object::Ptr>();
	EXPECT_EQ(r->getValue<int>("total"), 1);
	EXPECT_EQ(r->getValue<int>("connected"), 1);
	auto c = r->getArray("cameras")->getObject(0);
	EXPECT_EQ(c->getValue<std::string>("device"), "camera100"); // a declared source's device is its camera name
	EXPECT_FALSE(c->has("source")); // where it comes from is for admins only
	EXPECT_EQ(c->getValue<std::string>("status"), "CONNECTED");
	EXPECT_EQ(c->getValue<std::string>("name"), "Camera 100");
	EXPECT_EQ(c->getValue<std::string>("stream_name"), "camera100");
	EXPECT_EQ(c->getValue<std::string>("resolution"), "320x240");
	EXPECT_EQ(c->getValue<int>("fps"), 15);
	// Without the mediamtx plugin nothing serves streams: no URLs that point at nothing,
	// and streams stays the seed's map of strings (empty); why is said beside it.
	EXPECT_EQ(c->getObject("streams")->size(), 0u);
	EXPECT_EQ(c->getValue<std::string>("stream_status"), "unavailable");
	EXPECT_EQ(c->getValue<std::string>("stream_reason"), "streaming_disabled");
}

TEST(CamerasServer, AdminsSeeTheSourceUrlRedacted)
{
	ServerProcess server(camerasServer({{"cameras.sources.door.url", "rtsp://viewer:hunter2@127.0.0.1:9/h264?token=s3cr3t&channel=1"},
		{"cameras.sources.door.index", "7"}, {"cameras.sources.door.always", "true"}}));
	RpcClient admin(server.port());
	admin.authenticateAs("admin");
	// Always on: FFmpeg tries the URL (nobody listens on port 9) and the failure is logged.
	Object::Ptr s;
	waitUntil([&] {
		s = admin.result("get_camera_status", RpcClient::params({{"device", "camera7"}})).extract<Object::Ptr>();
		return s->getValue<std::string>("status") == "ERROR";
	}, 5000, 50);
	EXPECT_EQ(s->getValue<std::string>("status"), "ERROR");
	EXPECT_EQ(s->getValue<std::string>("device"), "camera7");
	EXPECT_EQ(s->getValue<std::string>("source"), "rtsp://127.0.0.1:9/h264?token=REDACTED&channel=1");
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	auto list = viewer.result("get_camera_list").extract<Object::Ptr>()->getArray("cameras");
	for (std::size_t i = 0; i < list->size(); ++i)
		EXPECT_FALSE(list->getObject(static_cast<unsigned>(i))->has("source"));
	// The redacted URL (the device of earlier versions) is still accepted.
	EXPECT_EQ(viewer.errorCode("get_camera_status", RpcClient::params({{"device", "rtsp://127.0.0.1:9/h264?token=REDACTED&channel=1"}})), 0);
	std::string log = server.log();
	EXPECT_EQ(log.find("hunter2"), std::string::npos) << "a password in the log";
	EXPECT_EQ(log.find("s3cr3t"), std::string::npos) << "a token in the log";
}

TEST(CamerasServer, StatusAndCapabilitiesByNameOrDevice)
{
	ServerProcess server(camerasServer());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	for (std::string device: {"camera100", "testsrc://?size=320x240&rate=15"})
	{
		auto s = client.result("get_camera_status", RpcClient::params({{"device", device}})).extract<Object::Ptr>();
		EXPECT_EQ(s->getValue<std::string>("status"), "CONNECTED");
		auto metrics = s->getObject("metrics");
		EXPECT_EQ(metrics->getValue<int>("readers"), 0);
		EXPECT_EQ(metrics->getValue<int>("bytes_sent"), 0);
		EXPECT_EQ(metrics->getValue<int>("uptime"), 0); // idle: the pipeline runs on demand only
		EXPECT_EQ(s->getObject("capabilities")->getArray("resolutions")->getElement<std::string>(0), "320x240");
	}
	auto caps = client.result("get_camera_capabilities", RpcClient::params({{"device", "camera100"}})).extract<Object::Ptr>();
	EXPECT_EQ(caps->getArray("fps_options")->getElement<int>(0), 15);
	EXPECT_EQ(caps->getValue<std::string>("validation_status"), "configured");
	EXPECT_EQ(caps->getArray("formats")->size(), 1u);
}

TEST(CamerasServer, BadDevicesAndParamsAreRefused)
{
	ServerProcess server(camerasServer());
	RpcClient anonymous(server.port());
	EXPECT_EQ(anonymous.errorCode("get_camera_list"), -32001);
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto error = client.call("get_camera_status", RpcClient::params({{"device", "/dev/video42"}}))->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32004);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), "camera_not_found");
	EXPECT_EQ(client.errorCode("get_camera_capabilities", RpcClient::params({{"device", "camera7"}})), -32004);
	EXPECT_EQ(client.errorCode("get_camera_status"), -32602);
	EXPECT_EQ(client.errorCode("get_camera_status", RpcClient::params({{"device", 0}})), -32602);
	EXPECT_EQ(client.errorCode("get_camera_status", RpcClient::params({{"device", std::string(5000, 'x')}})), -32602);
}

TEST(CamerasServer, NetworkCameraFailureAndRecoveryAreNotified)
{
	int port = ServerProcess::freePort();
	std::string url = "tcp://127.0.0.1:" + std::to_string(port);
	ServerProcess server(camerasServer({{"cameras.sources.net.url", url}, {"cameras.sources.net.always", "true"},
		{"cameras.restart.initial_ms", "200"}, {"cameras.restart.max_ms", "500"}}));
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.subscribe({"camera_status_update"});
	auto waitStatus = [&](const std::string& status) -> Object::Ptr {
		for (int i = 0; i < 50; ++i)
		{
			auto n = client.nextNotification(1000);
			if (n && n->getObject("params")->getValue<std::string>("device") == "camera100"
				&& n->getObject("params")->getValue<std::string>("status") == status)
				return n->getObject("params");
		}
		return nullptr;
	};
	// Nothing listens yet: the always-on pipeline fails.
	auto error = client.result("get_camera_status", RpcClient::params({{"device", url}})).extract<Object::Ptr>(); // the URL form works too
	if (error->getValue<std::string>("status") != "ERROR")
	{
		ASSERT_TRUE(waitStatus("ERROR"));
	}
	auto peer = ffmpegTcpCamera(port, server.stateDir() + "/ffmpeg.log");
	auto up = waitStatus("CONNECTED");
	ASSERT_TRUE(up) << peer->output();
	EXPECT_EQ(up->getValue<std::string>("name"), "Camera 100"); // ids in sorted order: "net" before "pattern"
	EXPECT_EQ(up->getValue<std::string>("stream_name"), "camera100");
	EXPECT_EQ(up->getValue<std::string>("stream_status"), "unavailable"); // no mediamtx plugin
	EXPECT_EQ(up->getObject("streams")->size(), 0u);
	auto running = client.result("get_camera_status", RpcClient::params({{"device", "camera100"}})).extract<Object::Ptr>();
	EXPECT_EQ(running->getObject("metrics")->getValue<bool>("running"), true);
	peer->stop(SIGKILL);
	EXPECT_TRUE(waitStatus("ERROR"));
}

} // namespace

TEST(CamerasServer, FfmpegIsPreloadedWhenAnOperatorLooksAtTheCameras)
{
	// ffmpeg.preload = on_request (the default): an idle service stays small...
	ServerProcess server(camerasServer());
	if (!CAMSVC_FFMPEG_LAZY)
	{
		// ...unless FFmpeg is linked directly (-DCAMSVC_LAZY_FFMPEG=OFF): loaded with the plugin.
		EXPECT_TRUE(server.mapsLibrary("libavcodec"));
		return;
	}
	EXPECT_FALSE(server.mapsLibrary("libavcodec"));
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	viewer.result("get_camera_list"); // a viewer can neither snapshot nor record: nothing to prepare
	RpcClient operatorClient(server.port());
	operatorClient.authenticateAs("operator");
	EXPECT_FALSE(server.mapsLibrary("libavcodec"));
	// ...and an operator's camera list loads FFmpeg in the background, before the first snapshot.
	operatorClient.result("get_camera_list");
	EXPECT_TRUE(waitUntil([&] { return server.log().find("FFmpeg preloaded") != std::string::npos; }, 5000, 25)) << server.log();
	EXPECT_TRUE(server.mapsLibrary("libavcodec"));
	EXPECT_TRUE(server.mapsLibrary("libavdevice")); // the test pattern needs a device input
}

namespace {

std::string sonameIn(const std::string& dir, const std::string& stem)
	/// libavcodec.so.59 for "libavcodec": the file whose name is the stem, ".so." and one number.
{
	for (const auto& entry: std::filesystem::directory_iterator(dir))
	{
		std::string name = entry.path().filename().string();
		std::string prefix = stem + ".so.";
		if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() && name.find('.', prefix.size()) == std::string::npos)
			return name;
	}
	return {};
}

} // namespace

TEST(CamerasServer, AChangedFfmpegSkipsThePluginWithOneLineAndTheDaemonServes)
{
	// libavcodec replaced by another library (libavutil under libavcodec's
	// soname, found first through LD_LIBRARY_PATH): the plugin must be
	// skipped at start with one line naming the library and what is
	// missing - never abort the daemon at its first FFmpeg call.
	std::string fake = makeTempDir("camsvc-fake-ffmpeg");
	std::string codec = sonameIn(CAMSVC_FFMPEG_LIBDIR, "libavcodec");
	std::string util = sonameIn(CAMSVC_FFMPEG_LIBDIR, "libavutil");
	ASSERT_FALSE(codec.empty() || util.empty()) << "no FFmpeg sonames in " << CAMSVC_FFMPEG_LIBDIR;
	std::filesystem::copy_file(std::string(CAMSVC_FFMPEG_LIBDIR) + "/" + util, fake + "/" + codec);
	ServerProcess::Options o = camerasServer();
	o.environment["LD_LIBRARY_PATH"] = fake;
	{
		ServerProcess server(o);
		RpcClient client(server.port());
		client.authenticateAs("viewer");
		EXPECT_EQ(client.result("ping").toString(), "pong");
		EXPECT_EQ(client.errorCode("get_camera_list"), -32601) << "the cameras plugin is not there";
		std::string log = server.log();
		std::size_t at = log.find("plugin cameras skipped");
		ASSERT_NE(at, std::string::npos) << log;
		std::string line = log.substr(at, log.find('\n', at) - at);
		EXPECT_NE(line.find(codec), std::string::npos) << line; // the library...
		// ...and what it lacks: a function (the lazy loader's check) or, linked
		// directly, the symbol version the dynamic linker looked for.
		EXPECT_NE(line.find(CAMSVC_FFMPEG_LAZY ? "has no function av" : "LIBAVCODEC_"), std::string::npos) << line;
		EXPECT_TRUE(server.running());
		EXPECT_EQ(server.terminate(SIGTERM), 0);
	}
	removeTree(fake);
}
