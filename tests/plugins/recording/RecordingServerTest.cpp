//
// RecordingServerTest.cpp
//
// start_recording / stop_recording through the running server on
// test-pattern cameras: a 3 s MP4 and an MKV decode with the right length and
// size, are listed and download; duration auto-stop; -1006 on a double start,
// -32010 when idle; two cameras at once while snapshots are taken; SIGTERM
// finalizes; SIGKILL 5 s in leaves a playable file that the catalog marks at
// the next start.
//

#include "CaptureServer.h"
#include "MediaCheck.h"
#include <filesystem>
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

void sleepSeconds(double s)
	/// Records for s seconds: the time is the behaviour under test (a recording's length), not a wait for an event.
{
	std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

Object::Ptr start(RpcClient& c, const std::string& device, Object::Ptr extra = nullptr)
{
	Object::Ptr p = extra ? extra : Object::Ptr(new Object);
	p->set("device", device);
	return resultObject(c, "start_recording", p);
}

Object::Ptr recordingInfo(RpcClient& c, const std::string& name)
{
	return resultObject(c, "get_recording_info", RpcClient::params({{"filename", name}}));
}

} // namespace

TEST(RecordingServer, RecordsThreeSecondsOfMp4)
{
	ServerProcess server(captureServerOptions());
	auto c = operatorClient(server.port(), {"recording_status_update"});
	Object::Ptr r = start(*c, "camera0");
	EXPECT_EQ(r->getValue<std::string>("status"), "STARTED");
	EXPECT_EQ(r->getValue<std::string>("format"), "mp4");
	EXPECT_EQ(r->getValue<std::string>("session_id").size(), 36u);
	std::string name = r->getValue<std::string>("filename");
	EXPECT_EQ(name.size(), std::string("camera0_2025-01-15_14-30-00.mp4").size());
	Object::Ptr started = waitNotification(*c, "recording_status_update", "STARTED");
	ASSERT_TRUE(started);
	EXPECT_EQ(started->getValue<std::string>("filename"), name);
	EXPECT_EQ(started->getValue<int>("duration"), 0);
	EXPECT_EQ(recordingInfo(*c, name)->getValue<std::string>("status"), "recording");

	sleepSeconds(3.0);
	Object::Ptr s = resultObject(*c, "stop_recording", RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(s->getValue<std::string>("status"), "STOPPED");
	EXPECT_EQ(s->getValue<std::string>("session_id"), r->getValue<std::string>("session_id"));
	EXPECT_EQ(s->getValue<std::string>("filename"), name);
	EXPECT_NEAR(s->getValue<double>("duration_seconds"), 3.0, 0.5);
	Object::Ptr stopped = waitNotification(*c, "recording_status_update", "STOPPED");
	ASSERT_TRUE(stopped);
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "requested");

	std::string path = server.stateDir() + "/recordings/" + name;
	EXPECT_EQ(s->getValue<std::uint64_t>("file_size"), std::filesystem::file_size(path));
	MediaSummary m = decodeMedia(path);
	EXPECT_EQ(m.codec, "h264");
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.height, 240);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_NEAR(m.seconds, 3.0, 0.5);

	Object::Ptr info = recordingInfo(*c, name);
	EXPECT_EQ(info->getValue<std::string>("status"), "complete");
	EXPECT_NEAR(info->getValue<double>("duration"), m.seconds, 0.2);
	auto [status, body] = httpRequest(server.port(), "GET", "/files/recordings/" + name, testToken("viewer"));
	EXPECT_EQ(status, 200);
	EXPECT_EQ(body, readFileBytes(path));
}

TEST(RecordingServer, MkvStopsByItselfAtTheDuration)
{
	ServerProcess server(captureServerOptions());
	auto c = operatorClient(server.port(), {"recording_status_update"});
	Object::Ptr r = start(*c, "camera1", RpcClient::params({{"format", "mkv"}, {"duration", 2}}));
	EXPECT_EQ(r->getValue<int>("duration"), 2);
	std::string name = r->getValue<std::string>("filename");
	EXPECT_EQ(name.substr(name.size() - 4), ".mkv");
	Object::Ptr stopped = waitNotification(*c, "recording_status_update", "STOPPED", 8000);
	ASSERT_TRUE(stopped);
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "duration_reached");
	EXPECT_EQ(c->errorCode("stop_recording", RpcClient::params({{"device", "camera1"}})), -32010) << "already stopped";
	MediaSummary m = decodeMedia(server.stateDir() + "/recordings/" + name);
	EXPECT_EQ(m.container, "matroska,webm");
	EXPECT_EQ(m.width, 320);
	EXPECT_NEAR(m.seconds, 2.0, 0.2);
	EXPECT_EQ(recordingInfo(*c, name)->getValue<std::string>("status"), "complete");
}

TEST(RecordingServer, ErrorsDoubleStartIdleStopUnknownCamera)
{
	ServerProcess server(captureServerOptions());
	auto c = operatorClient(server.port());
	EXPECT_EQ(c->errorCode("stop_recording", RpcClient::params({{"device", "camera0"}})), -32010);
	EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", "camera9"}})), -32004);
	EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", "camera0"}, {"format", "avi"}})), -32602);
	EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", "camera0"}, {"duration", 0}})), -32602);
	Object::Ptr r = start(*c, "camera0");
	Object::Ptr e = errorObject(*c, "start_recording", RpcClient::params({{"device", "camera0"}}));
	ASSERT_TRUE(e);
	EXPECT_EQ(e->getValue<int>("code"), -1006);
	EXPECT_EQ(e->getObject("data")->getValue<std::string>("session_id"), r->getValue<std::string>("session_id"));
	// By device id too: the same camera.
	EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", r->getValue<std::string>("device")}})), -1006);
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	EXPECT_EQ(viewer.errorCode("stop_recording", RpcClient::params({{"device", "camera0"}})), -32003);
	resultObject(*c, "stop_recording", RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(c->errorCode("stop_recording", RpcClient::params({{"device", "camera0"}})), -32010);
}

TEST(RecordingServer, TwoCamerasWhileSnapshotsAreTakenAndSigtermFinalizes)
{
	ServerProcess server(captureServerOptions());
	auto c = operatorClient(server.port());
	auto begin = std::chrono::steady_clock::now();
	std::string a = start(*c, "camera0")->getValue<std::string>("filename");
	std::string b = start(*c, "camera1", RpcClient::params({{"format", "mkv"}}))->getValue<std::string>("filename");
	for (int i = 0; i < 4; ++i)
	{
		Object::Ptr snap = resultObject(*c, "take_snapshot", RpcClient::params({{"device", i % 2 ? "camera1" : "camera0"}}));
		EXPECT_EQ(decodeMedia(snap->getValue<std::string>("file_path")).width, 320);
		sleepSeconds(0.5);
	}
	auto [status, metrics] = httpRequest(server.port(), "GET", "/metrics", testToken("admin"));
	if (status == 200)
	{
		EXPECT_NE(metrics.find("camsvc_recordings_active 2"), std::string::npos);
	}
	double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
	EXPECT_EQ(server.terminate(SIGTERM), 0);
	double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
	for (const auto& name: {a, b})
	{
		MediaSummary m = decodeMedia(server.stateDir() + "/recordings/" + name);
		EXPECT_EQ(m.decodeErrors, 0) << name;
		EXPECT_GE(m.seconds, elapsed - 0.7) << name;
		EXPECT_LE(m.seconds, total + 0.3) << name; // recording goes on until the plugin stops
	}
	EXPECT_NE(server.log().find("stopped: shutdown"), std::string::npos);
}

TEST(RecordingServer, SigkillLeavesAPlayableFileTheCatalogMarks)
{
	std::string dir = makeTempDir("camsvc-recording-crash");
	std::string name;
	{
		ServerProcess server(captureServerOptions(dir));
		auto c = operatorClient(server.port());
		name = start(*c, "camera0")->getValue<std::string>("filename");
		sleepSeconds(5.0);
		server.terminate(SIGKILL);
	}
	MediaSummary m = decodeMedia(dir + "/recordings/" + name);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_GE(m.seconds, 3.0);
	std::printf("[ measured ] SIGKILL 5 s into a recording: %.2f s playable\n", m.seconds);
	{
		ServerProcess server(captureServerOptions(dir));
		auto c = operatorClient(server.port());
		Object::Ptr info = recordingInfo(*c, name);
		EXPECT_EQ(info->getValue<std::string>("status"), "complete");
		EXPECT_NEAR(info->getValue<double>("duration"), m.seconds, 0.3);
		EXPECT_EQ(c->errorCode("stop_recording", RpcClient::params({{"device", "camera0"}})), -32010);
	}
	removeTree(dir);
}

TEST(RecordingServer, StorageGuardRefusals)
{
	{
		// Critical: no new recording (-1010); snapshots still go.
		ServerProcess::Options o = captureServerOptions();
		o.defines["storage.guard.warn_percent"] = "100";
		o.defines["storage.guard.critical_percent"] = "100";
		ServerProcess server(o);
		auto c = operatorClient(server.port());
		Object::Ptr e = errorObject(*c, "start_recording", RpcClient::params({{"device", "camera0"}}));
		ASSERT_TRUE(e);
		EXPECT_EQ(e->getValue<int>("code"), -1010);
		EXPECT_EQ(e->getObject("data")->getValue<std::string>("reason"), "storage_critical");
		EXPECT_EQ(c->errorCode("take_snapshot", RpcClient::params({{"device", "camera0"}})), 0);
	}
	{
		// Full: nothing is written (-32007).
		ServerProcess::Options o = captureServerOptions();
		o.defines["storage.guard.reserve_bytes"] = "1000000000000000000";
		ServerProcess server(o);
		auto c = operatorClient(server.port());
		EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", "camera0"}})), -32007);
		EXPECT_EQ(c->errorCode("take_snapshot", RpcClient::params({{"device", "camera0"}})), -32007);
		EXPECT_TRUE(std::filesystem::is_empty(server.stateDir() + "/snapshots"));
	}
}

TEST(RecordingServer, EmptyRecordingsSayTheyWereDeletedAndUnboundedOnesStopAtTheMaximum)
{
	ServerProcess::Options options = captureServerOptions();
	options.defines["recording.max_duration_seconds"] = "1";
	ServerProcess server(options);
	auto c = operatorClient(server.port(), {"recording_status_update"});

	// Stopped before the cold pipeline delivered a packet: no file, and the answer says so.
	Object::Ptr r = start(*c, "camera0");
	Object::Ptr s = resultObject(*c, "stop_recording", RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(s->getValue<std::string>("format"), "mp4");
	EXPECT_EQ(s->getValue<int>("file_size"), 0);
	EXPECT_TRUE(s->getValue<bool>("deleted"));
	EXPECT_EQ(s->getValue<std::string>("deleted_reason"), "empty");
	EXPECT_FALSE(std::filesystem::exists(s->getValue<std::string>("file_path")));
	Object::Ptr stopped = waitNotification(*c, "recording_status_update", "STOPPED");
	ASSERT_TRUE(stopped);
	EXPECT_TRUE(stopped->getValue<bool>("deleted"));

	// No duration: recording.max_duration_seconds ends it, with its own reason.
	r = start(*c, "camera1");
	EXPECT_EQ(r->getValue<int>("duration"), 0);
	EXPECT_EQ(r->getValue<double>("max_duration_seconds"), 1.0);
	stopped = waitNotification(*c, "recording_status_update", "STOPPED", 8000);
	ASSERT_TRUE(stopped);
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "max_duration");
	EXPECT_FALSE(stopped->has("deleted"));
	// A requested duration above the maximum is refused.
	EXPECT_EQ(c->errorCode("start_recording", RpcClient::params({{"device", "camera0"}, {"duration", 5}})), -32602);
}
