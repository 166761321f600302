//
// SeedConformanceTest.cpp
//
// Existing clients work unchanged: every seed method's result and both seed
// notifications, taken from the running server (real cameras: an FFmpeg
// test pattern, a network camera played by a real ffmpeg over TCP, and a USB
// camera on the fake UVC rig (libfake_v4l2.so); MediaMTX's API played by the
// test double so stream URLs are present), are
// decoded into the seed's own client types strictly (SeedTypes.h): a field
// the seed's typed client would fail on fails here, with its path.
//

#include "MediaMtxDouble.h"
#include "SeedTypes.h"
#include "support/FakeV4l2Dir.h"
#include "support/FfmpegCamera.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <gtest/gtest.h>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

const std::string TestPattern = "camera0";
const std::string Network = "camera1";
const std::string Usb = "camera2"; // video2 on the rig: its device is the node's path

std::string joined(const std::vector<std::string>& errors)
{
	return Poco::cat(std::string("\n  "), errors.begin(), errors.end());
}

bool eventually(const std::function<bool()>& condition, int timeoutMs = 8000)
{
	return waitUntil(condition, timeoutMs, 50);
}

template <class Decode>
auto decodeResult(const std::string& method, const Object::Ptr& response, Decode decode)
	/// The response envelope is exactly {jsonrpc, id, result}; the result decodes strictly.
{
	std::vector<std::string> errors;
	EXPECT_EQ(response->size(), 3u) << method << ": a response carries exactly jsonrpc, id and result";
	EXPECT_EQ(response->getValue<std::string>("jsonrpc"), "2.0");
	EXPECT_TRUE(response->has("result")) << method << " failed";
	auto value = decode(StrictDecoder(response->get("result"), method, errors));
	EXPECT_TRUE(errors.empty()) << method << " does not decode into the seed's type:" << joined(errors);
	return value;
}

Object::Ptr waitNotification(RpcClient& client, const std::string& method, const std::string& device, const std::string& status,
	int timeoutMs = 10000)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		auto n = client.nextNotification(250);
		if (!n || n->getValue<std::string>("method") != method)
			continue;
		auto params = n->getObject("params");
		if (params->getValue<std::string>("device") == device && params->getValue<std::string>("status") == status)
			return n;
	}
	return nullptr;
}

seed::CameraStatus decodeNotification(const Object::Ptr& notification)
{
	std::vector<std::string> errors;
	EXPECT_EQ(notification->getValue<std::string>("jsonrpc"), "2.0");
	EXPECT_FALSE(notification->has("id")) << "a notification has no id";
	auto c = seed::decodeCameraStatus(StrictDecoder(notification->get("params"), "camera_status_update", errors), false);
	EXPECT_TRUE(errors.empty()) << "camera_status_update does not decode:" << joined(errors);
	return c;
}

TEST(StrictDecoder, RejectsWhatTheSeedClientRejects)
{
	// The shape earlier versions sent: bools and nulls in streams, a float fps, a bad time.
	auto bad = parseObject(R"({"device":"camera0","status":"CONNECTED","name":null,"resolution":"320x240","fps":15.0,
		"streams":{"rtsp":null,"available":false},"metrics":{"bytes_sent":"12","readers":0,"uptime":1},
		"capabilities":{"formats":["H264"],"resolutions":[]},"started":"2025-01-15 14:30:00"})");
	std::vector<std::string> errors;
	StrictDecoder d(Poco::Dynamic::Var(bad), "camera", errors);
	seed::decodeCameraStatus(d, true);
	d.time("started");
	d.integer("missing");
	std::string all = joined(errors);
	for (const char* path: {"camera.name: null", "camera.fps: float", "camera.streams.rtsp: null", "camera.streams.available: bool",
		"camera.metrics.bytes_sent: string", "camera.started: \"2025-01-15 14:30:00\" is not RFC 3339", "camera.missing: missing"})
		EXPECT_NE(all.find(path), std::string::npos) << path << " not reported in:" << all;
	EXPECT_EQ(errors.size(), 7u) << all;

	errors.clear();
	auto good = parseObject(R"({"authenticated":true,"role":"viewer","permissions":["view"],"expires_at":"2025-01-16T14:30:00.5+01:00",
		"session_id":"x","extra":{"ignored":true}})");
	auto auth = seed::decodeAuthResponse(StrictDecoder(Poco::Dynamic::Var(good), "auth", errors));
	EXPECT_TRUE(errors.empty()) << joined(errors);
	EXPECT_EQ(auth.expiresAt.epochTime(), 1737034200); // 13:30:00Z
}

class SeedConformance: public ::testing::Test
{
protected:
	static void SetUpTestSuite()
	{
		_mtx = new MediaMtxDouble;
		_peerPort = ServerProcess::freePort();
		_usb = new FakeV4l2Dir;
		_usb->plug("video2", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\"],\"fps\":[15]}"));
		ServerProcess::Options o;
		o.environment = {{"LD_PRELOAD", FakeV4l2Dir::library()}, {"FAKE_V4L2_DIR", _usb->dir()}};
		o.plugins = {"test_auth", "cameras", "mediamtx", "storage", "snapshots", "recording", "metrics"};
		o.defines = {
			{"cameras.v4l2.enabled", "true"},
			{"cameras.v4l2.device_dir", _usb->dir()},
			{"cameras.sources.pattern.url", "testsrc://?size=320x240&rate=15"},
			{"cameras.sources.pattern.index", "0"},
			{"cameras.sources.net.url", "tcp://127.0.0.1:" + std::to_string(_peerPort)},
			{"cameras.sources.net.index", "1"},
			{"cameras.sources.net.always", "true"}, // the peer serves one connection: keep it
			{"cameras.restart.initial_ms", "200"},
			{"cameras.restart.max_ms", "400"},
			{"mediamtx.api.url", _mtx->url()},
			{"mediamtx.rtsp.url", "rtsp://127.0.0.1:" + std::to_string(ServerProcess::freePort())},
			{"mediamtx.public_host", "media.example"},
			{"mediamtx.rtsp_port", "8554"},
			{"mediamtx.reconcile_interval_ms", "200"},
			{"recording.fragment_ms", "200"},
		};
		_server = new ServerProcess(o);
	}

	static void TearDownTestSuite()
	{
		_peer.reset();
		delete _server;
		delete _mtx;
		delete _usb;
	}

	static ServerProcess& server() { return *_server; }

	static std::unique_ptr<RpcClient> client(const std::string& role)
	{
		auto c = std::make_unique<RpcClient>(_server->port());
		c->authenticateAs(role);
		return c;
	}

	static void ensureNetworkCamera(RpcClient& c)
		/// The network camera's peer runs and the camera is connected.
	{
		if (!_peer)
			_peer = ffmpegTcpCamera(_peerPort, _server->stateDir() + "/ffmpeg.log");
		ASSERT_TRUE(eventually([&] {
			return c.result("get_camera_status", RpcClient::params({{"device", Network}})).extract<Object::Ptr>()
				->getValue<std::string>("status") == "CONNECTED";
		})) << _peer->output();
	}

	static std::string device(const std::string& camera)
		/// What the camera's device is: the name for declared sources, the node's path for V4L2.
	{
		return camera == Usb ? _usb->path("video2") : camera;
	}

	static MediaMtxDouble* _mtx;
	static FakeV4l2Dir* _usb;
	static ServerProcess* _server;
	static int _peerPort;
	static std::unique_ptr<ChildProcess> _peer;
};

MediaMtxDouble* SeedConformance::_mtx = nullptr;
FakeV4l2Dir* SeedConformance::_usb = nullptr;
ServerProcess* SeedConformance::_server = nullptr;
int SeedConformance::_peerPort = 0;
std::unique_ptr<ChildProcess> SeedConformance::_peer;

TEST_F(SeedConformance, CameraStatusUpdateDecodesForTheNetworkCamera)
{
	// First, so that the camera coming up is seen: its peer starts after the subscription.
	auto c = client("viewer");
	c->subscribe({"camera_status_update"});
	ensureNetworkCamera(*c);
	auto up = waitNotification(*c, "camera_status_update", Network, "CONNECTED");
	ASSERT_TRUE(up) << "no camera_status_update CONNECTED for the network camera";
	auto camera = decodeNotification(up);
	EXPECT_EQ(camera.device, Network);
	EXPECT_EQ(camera.resolution, "320x240");
	EXPECT_EQ(camera.fps, 15);
}

TEST_F(SeedConformance, AuthenticateAndPing)
{
	RpcClient c(server().port());
	auto auth = decodeResult("authenticate", c.call("authenticate", RpcClient::params({{"auth_token", testToken("operator")}})),
		seed::decodeAuthResponse);
	EXPECT_TRUE(auth.authenticated);
	EXPECT_EQ(auth.role, "operator");
	EXPECT_EQ(auth.permissions, (std::vector<std::string>{"view", "control"}));
	EXPECT_GT(auth.expiresAt, Poco::Timestamp());
	EXPECT_EQ(auth.sessionId.size(), 36u);
	auto pong = c.call("ping");
	ASSERT_TRUE(pong->has("result"));
	EXPECT_TRUE(pong->get("result").isString()) << "the seed decodes ping into a string";
	EXPECT_EQ(pong->getValue<std::string>("result"), "pong");
}

TEST_F(SeedConformance, CameraListAndStatusDecodeForEachKind)
{
	auto c = client("viewer");
	ensureNetworkCamera(*c);
	// MediaMTX answers (the double): the stream URLs are there, as strings.
	ASSERT_TRUE(eventually([&] {
		auto list = c->result("get_camera_list").extract<Object::Ptr>()->getArray("cameras");
		if (list->size() != 3)
			return false;
		for (unsigned i = 0; i < 3; ++i)
			if (list->getObject(i)->getObject("streams")->size() == 0)
				return false;
		return true;
	}));
	auto list = decodeResult("get_camera_list", c->call("get_camera_list"), seed::decodeCameraListResponse);
	EXPECT_EQ(list.total, 3);
	EXPECT_EQ(list.connected, 3);
	ASSERT_EQ(list.cameras.size(), 3u);
	const std::string names[] = {TestPattern, Network, Usb};
	for (int i = 0; i < 3; ++i)
	{
		const auto& camera = list.cameras[static_cast<std::size_t>(i)];
		EXPECT_EQ(camera.device, device(names[i]));
		EXPECT_EQ(camera.status, "CONNECTED");
		EXPECT_EQ(camera.streams.at("rtsp"), "rtsp://media.example:8554/" + names[i]);
		EXPECT_EQ(camera.streams.at("hls"), "http://media.example:8888/" + names[i]);
		EXPECT_EQ(camera.streams.at("webrtc"), "http://media.example:8889/" + names[i] + "/webrtc");
	}

	for (const auto& device: {TestPattern, Network, SeedConformance::device(Usb)})
	{
		auto status = decodeResult("get_camera_status(" + device + ")",
			c->call("get_camera_status", RpcClient::params({{"device", device}})),
			[](StrictDecoder d) { return seed::decodeCameraStatus(d, true); });
		EXPECT_EQ(status.device, device);
		EXPECT_EQ(status.fps, 15);
		ASSERT_TRUE(status.capabilities);
		EXPECT_FALSE(status.capabilities->formats.empty());
	}
}

TEST_F(SeedConformance, SnapshotAndRecordingDecodeForEachKind)
{
	auto c = client("operator");
	ensureNetworkCamera(*c);
	c->subscribe({"recording_status_update"});
	for (const auto& device: {TestPattern, Network, SeedConformance::device(Usb)})
	{
		auto snap = decodeResult("take_snapshot(" + device + ")", c->call("take_snapshot", RpcClient::params({{"device", device}})),
			seed::decodeSnapshotResponse);
		EXPECT_EQ(snap.device, device);
		EXPECT_EQ(snap.status, "completed");
		EXPECT_GT(snap.fileSize, 0);

		auto started = decodeResult("start_recording(" + device + ")",
			c->call("start_recording", RpcClient::params({{"device", device}, {"format", "mp4"}})), seed::decodeStartRecordingResponse);
		EXPECT_EQ(started.status, "STARTED");
		EXPECT_EQ(started.format, "mp4");
		auto startedNote = waitNotification(*c, "recording_status_update", device, "STARTED");
		ASSERT_TRUE(startedNote);
		std::vector<std::string> errors;
		seed::decodeRecordingStatus(StrictDecoder(startedNote->get("params"), "recording_status_update", errors));
		EXPECT_TRUE(errors.empty()) << joined(errors);

		// Media on disk before stopping (a fragment every 200 ms here).
		std::string path = server().stateDir() + "/recordings/" + started.filename;
		EXPECT_TRUE(eventually([&] { return std::filesystem::exists(path) && std::filesystem::file_size(path) > 1000; }));
		auto stopped = decodeResult("stop_recording(" + device + ")", c->call("stop_recording", RpcClient::params({{"device", device}})),
			seed::decodeStopRecordingResponse);
		EXPECT_EQ(stopped.status, "STOPPED");
		EXPECT_EQ(stopped.sessionId, started.sessionId);
		EXPECT_GT(stopped.fileSize, 0);
		EXPECT_GE(stopped.endTime, stopped.startTime);
		auto stoppedNote = waitNotification(*c, "recording_status_update", device, "STOPPED");
		ASSERT_TRUE(stoppedNote);
		errors.clear();
		seed::decodeRecordingStatus(StrictDecoder(stoppedNote->get("params"), "recording_status_update", errors));
		EXPECT_TRUE(errors.empty()) << joined(errors);
	}
	auto files = decodeResult("list_recordings", c->call("list_recordings", RpcClient::params({{"limit", 10}, {"offset", 0}})),
		seed::decodeListRecordingsResponse);
	EXPECT_EQ(files.total, 3);
	EXPECT_EQ(files.limit, 10);
	ASSERT_EQ(files.files.size(), 3u);
	EXPECT_EQ(files.files[0].downloadUrl, "/files/recordings/" + files.files[0].filename);
}

TEST_F(SeedConformance, MetricsDecode)
{
	auto admin = client("admin");
	auto m = decodeResult("get_metrics", admin->call("get_metrics"), seed::decodeSystemMetrics);
	EXPECT_GE(m.activeConnections, 1);
	EXPECT_GT(m.totalRequests, 0);
	EXPECT_GT(m.goroutines, 0);
#if defined(__SANITIZE_ADDRESS__)
	EXPECT_GE(m.heapAlloc, 0); // ASan's allocator answers mallinfo2() with zeros
#else
	EXPECT_GT(m.heapAlloc, 0);
#endif
}

TEST_F(SeedConformance, ErrorsCarryTheSeedCodes)
{
	auto check = [](const std::string& what, const Object::Ptr& response, std::int64_t code) {
		std::vector<std::string> errors;
		EXPECT_EQ(response->size(), 3u) << what << ": exactly jsonrpc, id and error";
		auto e = seed::decodeRpcError(StrictDecoder(response->get("error"), what, errors));
		EXPECT_TRUE(errors.empty()) << joined(errors);
		EXPECT_EQ(e.code, code) << what;
		EXPECT_FALSE(e.message.empty());
	};
	RpcClient anonymous(server().port());
	check("unauthenticated", anonymous.call("get_camera_list"), -32001);
	check("bad token", anonymous.call("authenticate", RpcClient::params({{"auth_token", "nonsense"}})), -32001);
	auto viewer = client("viewer");
	check("unknown camera", viewer->call("get_camera_status", RpcClient::params({{"device", "/dev/video9"}})), -32004);
	check("missing device", viewer->call("get_camera_status"), -32602);
	check("viewer records", viewer->call("start_recording", RpcClient::params({{"device", TestPattern}})), -32003);
}

TEST_F(SeedConformance, CameraStatusUpdateDecodesWhenTheNetworkCameraFails)
{
	// Last: the peer goes away for good.
	auto c = client("viewer");
	ensureNetworkCamera(*c);
	c->subscribe({"camera.status_change"}); // a dotted topic delivers the same seed notification
	_peer->stop(SIGKILL);
	auto down = waitNotification(*c, "camera_status_update", Network, "ERROR");
	ASSERT_TRUE(down);
	auto camera = decodeNotification(down);
	EXPECT_EQ(camera.device, Network);
}

} // namespace
