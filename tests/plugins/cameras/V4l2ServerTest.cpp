//
// V4l2ServerTest.cpp
//
// USB cameras through the running server: the server runs with
// libfake_v4l2.so preloaded and cameras.v4l2.device_dir on the rig's
// directory, so discovery, format negotiation, capture through FFmpeg's
// video4linux2 input, hot-plug, unplug mid-recording and a device held by
// another program all go through the real code paths.
//

#include "CaptureServer.h"
#include "MediaCheck.h"
#include "MediaMtxDouble.h"
#include "support/FakeV4l2Dir.h"
#include "support/WaitUntil.h"
#include <gtest/gtest.h>
#include <fstream>
#include <sstream>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

const std::string SmallCamera = "{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\"],\"fps\":[15]}";

ServerProcess::Options v4l2Server(const FakeV4l2Dir& devices, std::map<std::string, std::string> defines = {})
{
	ServerProcess::Options o = captureServerOptions();
	o.defines.erase("cameras.sources.a.url");
	o.defines.erase("cameras.sources.a.index");
	o.defines.erase("cameras.sources.b.url");
	o.defines.erase("cameras.sources.b.index");
	o.defines["cameras.v4l2.enabled"] = "true";
	o.defines["cameras.v4l2.device_dir"] = devices.dir();
	o.defines["logging.level"] = "debug";
	for (auto& [k, v]: defines)
		o.defines[k] = v;
	o.environment = {{"LD_PRELOAD", FakeV4l2Dir::library()}, {"FAKE_V4L2_DIR", devices.dir()}};
	return o;
}

Object::Ptr status(RpcClient& c, const std::string& device)
{
	return resultObject(c, "get_camera_status", RpcClient::params({{"device", device}}));
}

Object::Ptr waitCamera(RpcClient& c, const std::string& streamName, const std::string& state, int timeoutMs = 10000)
	/// The next camera_status_update for that camera in that state.
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		auto n = c.nextNotification(100);
		if (!n || n->getValue<std::string>("method") != "camera_status_update")
			continue;
		auto p = n->getObject("params");
		if (p->getValue<std::string>("stream_name") == streamName && p->getValue<std::string>("status") == state)
			return p;
	}
	return nullptr;
}

void expectEveryLineFromTheLogger(const std::string& log)
	/// FFmpeg (and libv4l2) never write to stderr: every line has the logger's timestamp.
{
	std::istringstream in(log);
	std::string line;
	while (std::getline(in, line))
	{
		if (!line.empty())
		{
			EXPECT_TRUE(line.size() > 4 && std::isdigit(static_cast<unsigned char>(line[0])) && line[4] == '-') << "raw output: " << line;
		}
	}
}

} // namespace

TEST(V4l2Server, DiscoveryListsTheCaptureNodeWithTheCameraNameCapabilitiesAndSnapshots)
{
	FakeV4l2Dir devices;
	// As a UVC webcam: raw YUYV at every size, MJPEG for the large ones (low rates keep the test cheap).
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"640x480\",\"1280x720\"],\"fps\":[10,5]},"
		"{\"fourcc\":\"MJPG\",\"sizes\":[\"1280x720\",\"640x480\"],\"fps\":[10]}", "Lab Cam"));
	devices.plug("video1", FakeV4l2Dir::metadataNode("Lab Cam"));
	ServerProcess server(v4l2Server(devices));
	auto c = operatorClient(server.port());

	auto list = resultObject(*c, "get_camera_list", nullptr);
	ASSERT_EQ(list->getValue<int>("total"), 1) << "the metadata node is not a camera\n" << server.log();
	auto camera = list->getArray("cameras")->getObject(0);
	EXPECT_EQ(camera->getValue<std::string>("device"), devices.path("video0"));
	EXPECT_EQ(camera->getValue<std::string>("stream_name"), "camera0");
	EXPECT_EQ(camera->getValue<std::string>("name"), "Lab Cam");
	EXPECT_EQ(camera->getValue<std::string>("status"), "CONNECTED");
	EXPECT_EQ(camera->getValue<std::string>("resolution"), "1280x720");
	EXPECT_EQ(camera->getValue<int>("fps"), 10);
	EXPECT_EQ(c->errorCode("get_camera_status", RpcClient::params({{"device", "camera1"}})), -32004);

	auto caps = resultObject(*c, "get_camera_capabilities", RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(caps->getArray("formats")->size(), 2u);
	EXPECT_EQ(caps->getArray("formats")->getElement<std::string>(0), "YUYV");
	EXPECT_EQ(caps->getArray("formats")->getElement<std::string>(1), "MJPEG");
	EXPECT_EQ(caps->getArray("resolutions")->getElement<std::string>(0), "1280x720");
	EXPECT_EQ(caps->getArray("resolutions")->getElement<std::string>(1), "640x480");
	EXPECT_EQ(caps->getArray("fps_options")->getElement<int>(0), 10);
	EXPECT_EQ(caps->getArray("fps_options")->getElement<int>(1), 5);
	EXPECT_EQ(caps->getValue<std::string>("validation_status"), "confirmed");

	auto shot = resultObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}}), 15000);
	MediaSummary m = decodeMedia(shot->getValue<std::string>("file_path"));
	EXPECT_EQ(m.width, 1280) << "from the device at its size";
	EXPECT_EQ(m.height, 720);
	EXPECT_NE(server.log().find("will capture MJPEG 1280x720@10"), std::string::npos) << "MJPEG over raw at 720p\n" << server.log();
	EXPECT_NE(server.log().find("capturing v4l2 1280x720@10.00 (encoding H.264)"), std::string::npos) << server.log();
	expectEveryLineFromTheLogger(server.log());
}

TEST(V4l2Server, H264CameraIsPassedThroughAndRecordsAtItsSize)
{
	FakeV4l2Dir devices;
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\"],\"fps\":[15]},"
		"{\"fourcc\":\"H264\",\"sizes\":[\"640x480\"],\"fps\":[15]}", "H.264 Cam"));
	ServerProcess server(v4l2Server(devices));
	auto c = operatorClient(server.port(), {"recording_status_update"});
	EXPECT_EQ(status(*c, "camera0")->getValue<std::string>("resolution"), "640x480");
	auto r = resultObject(*c, "start_recording", RpcClient::params({{"device", "camera0"}}));
	std::string name = r->getValue<std::string>("filename");
	ASSERT_TRUE(waitUntil([&] { return status(*c, "camera0")->getObject("metrics")->getValue<int>("uptime") >= 2; }, 10000, 50));
	resultObject(*c, "stop_recording", RpcClient::params({{"device", "camera0"}}));
	ASSERT_TRUE(waitNotification(*c, "recording_status_update", "STOPPED", 10000));
	MediaSummary m = decodeMedia(server.stateDir() + "/recordings/" + name);
	EXPECT_EQ(m.codec, "h264");
	EXPECT_EQ(m.width, 640);
	EXPECT_EQ(m.height, 480);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_GE(m.frames, 15);
	EXPECT_NE(server.log().find("capturing v4l2 640x480@15.00 (H.264 passthrough)"), std::string::npos) << server.log();
}

TEST(V4l2Server, UnplugMidRecordingFinalizesTheFileAndReplugRestoresTheSameCamera)
{
	FakeV4l2Dir devices;
	devices.plug("video0", FakeV4l2Dir::camera(SmallCamera, "Desk Cam", "usb-0000:00:14.0-1"));
	devices.plug("video2", FakeV4l2Dir::camera(SmallCamera, "Door Cam", "usb-0000:00:14.0-2"));
	ServerProcess server(v4l2Server(devices));
	auto c = operatorClient(server.port(), {"camera_status_update", "recording_status_update"});
	std::string lost = resultObject(*c, "start_recording", RpcClient::params({{"device", "camera0"}}))->getValue<std::string>("filename");
	std::string kept = resultObject(*c, "start_recording", RpcClient::params({{"device", "camera2"}}))->getValue<std::string>("filename");
	ASSERT_TRUE(waitUntil([&] { return status(*c, "camera0")->getObject("metrics")->getValue<int>("uptime") >= 2; }, 10000, 50)) << server.log();

	devices.unplug("video0");
	auto gone = waitCamera(*c, "camera0", "DISCONNECTED", 5000);
	ASSERT_TRUE(gone) << server.log();
	auto error = waitNotification(*c, "recording_status_update", "ERROR", 10000);
	ASSERT_TRUE(error) << server.log();
	EXPECT_EQ(error->getValue<std::string>("filename"), lost);
	EXPECT_EQ(error->getValue<std::string>("reason"), "camera_lost");
	ASSERT_TRUE(waitNotification(*c, "recording_status_update", "STOPPED", 10000));

	MediaSummary m = decodeMedia(server.stateDir() + "/recordings/" + lost);
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_GE(m.seconds, 1.5) << "plays up to the unplug";
	auto shot = errorObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}}));
	ASSERT_TRUE(shot);
	EXPECT_EQ(shot->getValue<int>("code"), -32004);
	EXPECT_EQ(shot->getObject("data")->getValue<std::string>("reason"), "camera_disconnected");

	auto other = status(*c, "camera2");
	EXPECT_EQ(other->getValue<std::string>("status"), "CONNECTED") << "the other camera is unaffected";
	EXPECT_TRUE(other->getObject("metrics")->getValue<bool>("running"));

	auto plugged = std::chrono::steady_clock::now();
	devices.plug("video0", FakeV4l2Dir::camera(SmallCamera, "Desk Cam", "usb-0000:00:14.0-1"));
	auto back = waitCamera(*c, "camera0", "CONNECTED", 5000);
	ASSERT_TRUE(back) << server.log();
	EXPECT_LT(std::chrono::steady_clock::now() - plugged, std::chrono::milliseconds(1000)); // measured: bench/cameras/hotplug.sh
	EXPECT_EQ(back->getValue<std::string>("device"), devices.path("video0"));
	EXPECT_EQ(back->getValue<std::string>("name"), "Desk Cam");
	auto again = resultObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}}), 15000);
	EXPECT_EQ(decodeMedia(again->getValue<std::string>("file_path")).width, 320);

	resultObject(*c, "stop_recording", RpcClient::params({{"device", "camera2"}}));
	ASSERT_TRUE(waitNotification(*c, "recording_status_update", "STOPPED", 10000));
	MediaSummary k = decodeMedia(server.stateDir() + "/recordings/" + kept);
	EXPECT_EQ(k.decodeErrors, 0);
	EXPECT_GT(k.seconds, m.seconds) << "camera2 kept recording through camera0's unplug";

	std::string log = server.log();
	EXPECT_NE(log.find("ffmpeg: [video4linux2,v4l2 @ 0x"), std::string::npos) << "FFmpeg's messages go through the logger\n" << log;
	expectEveryLineFromTheLogger(log);
}

TEST(V4l2Server, ADeviceHeldByAnotherProgramIsReportedRetriedAndPickedUpWhenFreed)
{
	FakeV4l2Dir devices;
	devices.plug("video0", FakeV4l2Dir::camera(SmallCamera, "Shared Cam"));
	// Another program streams from the camera: ffmpeg under the same rig.
	std::string holderLog = devices.dir() + "/holder.log";
	auto holder = std::make_unique<ChildProcess>(std::vector<std::string>{"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "info",
		"-f", "v4l2", "-i", devices.path("video0"), "-f", "null", "-"}, holderLog,
		std::map<std::string, std::string>{{"LD_PRELOAD", FakeV4l2Dir::library()}, {"FAKE_V4L2_DIR", devices.dir()}});
	ASSERT_TRUE(waitUntil([&] { return holder->output().find("Input #0") != std::string::npos; }, 10000, 50)) << holder->output();

	ServerProcess server(v4l2Server(devices, {{"cameras.always_on", "true"}, {"cameras.restart.initial_ms", "200"},
		{"cameras.restart.max_ms", "400"}, {"snapshots.frame_timeout_ms", "500"}}));
	auto c = operatorClient(server.port(), {"camera_status_update"});
	ASSERT_TRUE(waitUntil([&] { return status(*c, "camera0")->getValue<std::string>("status") == "ERROR"; }, 10000, 50)) << server.log();
	auto busy = status(*c, "camera0");
	EXPECT_EQ(busy->getValue<std::string>("reason"), "device_busy");
	EXPECT_EQ(busy->getValue<std::string>("name"), "Shared Cam") << "listed while busy: the probe needs no privilege";
	auto shot = errorObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}}));
	ASSERT_TRUE(shot);
	EXPECT_EQ(shot->getValue<int>("code"), -32004);
	EXPECT_EQ(shot->getObject("data")->getValue<std::string>("reason"), "device_busy");

	holder->stop(SIGTERM, 5000);
	ASSERT_TRUE(waitCamera(*c, "camera0", "CONNECTED", 5000)) << server.log();
	// The pipeline restarts on the freed device; on a loaded machine its first
	// frame can come after one frame_timeout_ms (500 ms here): ask again.
	Poco::JSON::Object::Ptr picked;
	ASSERT_TRUE(waitUntil([&] {
		auto reply = c->call("take_snapshot", RpcClient::params({{"device", "camera0"}}), 15000);
		picked = reply->has("result") ? reply->getObject("result") : nullptr;
		return picked != nullptr;
	}, 15000, 100)) << server.log();
	EXPECT_EQ(decodeMedia(picked->getValue<std::string>("file_path")).width, 320);

	std::string log = server.log();
	std::size_t warnings = 0;
	for (std::size_t at = log.find("Warning plugin.cameras: camera camera0: device busy"); at != std::string::npos;
		at = log.find("Warning plugin.cameras: camera camera0: device busy", at + 1))
		++warnings;
	EXPECT_EQ(warnings, 1u) << "retried failures log once at warning, then at debug\n" << log;
	expectEveryLineFromTheLogger(log);
}

TEST(V4l2Server, StreamsPublishTheDeviceItself)
{
	FakeV4l2Dir devices;
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"H264\",\"sizes\":[\"320x240\"],\"fps\":[15]}", "Stream Cam"));
	MediaMtxDouble mtx;
	// MediaMTX's RTSP side: ffmpeg accepting the publisher's ANNOUNCE/RECORD, keeping 10 frames.
	int rtspPort = ServerProcess::freePort();
	std::string received = devices.dir() + "/received.mkv";
	ChildProcess receiver({"ffmpeg", "-nostdin", "-loglevel", "warning", "-rtsp_flags", "listen", "-i",
		"rtsp://127.0.0.1:" + std::to_string(rtspPort) + "/camera0", "-frames:v", "10", "-c", "copy", "-y", received},
		devices.dir() + "/receiver.log");
	ServerProcess::Options o = v4l2Server(devices, {{"mediamtx.enabled", "true"}, {"mediamtx.api.url", mtx.url()},
		{"mediamtx.rtsp.url", "rtsp://127.0.0.1:" + std::to_string(rtspPort)}, {"mediamtx.reconcile_interval_ms", "200"}});
	o.plugins = {"test_auth", "cameras", "mediamtx"};
	ServerProcess server(o);
	auto c = operatorClient(server.port());
	auto started = resultObject(*c, "start_streaming", RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(started->getValue<std::string>("stream_name"), "camera0");
	ASSERT_EQ(receiver.stop(0, 20000), 0) << receiver.output() << server.log();
	MediaSummary m = decodeMedia(received);
	EXPECT_EQ(m.codec, "h264");
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.frames, 10);
	EXPECT_EQ(m.decodeErrors, 0);
}
