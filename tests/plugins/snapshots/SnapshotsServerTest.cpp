//
// SnapshotsServerTest.cpp
//
// take_snapshot through the running server on test-pattern cameras: the file
// decodes at the camera's size (JPEG and PNG), is listed and downloads
// byte-identical, changes between two snapshots a second apart, survives
// concurrency on one and on two cameras, and hostile filenames are refused
// without touching anything outside the snapshot directory.
//

#include "CaptureServer.h"
#include "MediaCheck.h"
#include <Poco/JSON/Array.h>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <set>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

class SnapshotsServer: public ::testing::Test
{
protected:
	static void SetUpTestSuite() { _server = new ServerProcess(captureServerOptions()); }
	static void TearDownTestSuite()
	{
		delete _server;
		_server = nullptr;
	}
	static ServerProcess& server() { return *_server; }

	Object::Ptr snapshot(RpcClient& c, Object::Ptr params)
	{
		return resultObject(c, "take_snapshot", params, 15000);
	}

	static ServerProcess* _server;
};

ServerProcess* SnapshotsServer::_server = nullptr;

} // namespace

TEST_F(SnapshotsServer, ColdSnapshotDecodesIsListedAndDownloads)
{
	auto c = operatorClient(server().port(), {"snapshot_taken"});
	Object::Ptr r = snapshot(*c, RpcClient::params({{"device", "camera0"}}));
	EXPECT_EQ(r->getValue<std::string>("status"), "completed");
	EXPECT_EQ(r->getValue<std::string>("device"), "camera0"); // a declared source's device is its name
	std::string name = r->getValue<std::string>("filename");
	EXPECT_EQ(name.rfind("camera0_", 0), 0u);
	EXPECT_EQ(name.size(), std::string("camera0_2025-01-15_14-30-00-123.jpg").size());
	EXPECT_EQ(r->getValue<std::string>("timestamp").size(), std::string("2025-01-15T14:30:00Z").size());
	std::string path = r->getValue<std::string>("file_path");
	EXPECT_EQ(path, server().stateDir() + "/snapshots/" + name);
	ASSERT_TRUE(std::filesystem::exists(path));
	EXPECT_EQ(r->getValue<std::uint64_t>("file_size"), std::filesystem::file_size(path));
	using std::filesystem::perms;
	EXPECT_EQ(std::filesystem::status(path).permissions(), perms::owner_read | perms::owner_write | perms::group_read)
		<< "server.umask 027: not readable by others";

	MediaSummary m = decodeMedia(path);
	EXPECT_EQ(m.codec, "mjpeg");
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.height, 240);
	EXPECT_EQ(m.frames, 1);

	Object::Ptr event = waitNotification(*c, "snapshot_taken", "", 5000);
	ASSERT_TRUE(event);
	EXPECT_EQ(event->getValue<std::string>("filename"), name);

	Object::Ptr list = resultObject(*c, "list_snapshots", RpcClient::params({{"limit", 1000}}));
	bool listed = false;
	for (const auto& f: *list->getArray("files"))
		listed |= f.extract<Object::Ptr>()->getValue<std::string>("filename") == name;
	EXPECT_TRUE(listed);

	auto [status, body] = httpRequest(server().port(), "GET", "/files/snapshots/" + name, testToken("viewer"));
	EXPECT_EQ(status, 200);
	EXPECT_EQ(body, readFileBytes(path));
	// No temporary file is left behind.
	for (const auto& entry: std::filesystem::directory_iterator(server().stateDir() + "/snapshots"))
		EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

TEST_F(SnapshotsServer, ThePictureMovesBetweenSnapshots)
{
	auto c = operatorClient(server().port());
	Object::Ptr a = snapshot(*c, RpcClient::params({{"device", "camera1"}, {"format", "png"}}));
	std::this_thread::sleep_for(std::chrono::seconds(1)); // the behaviour under test: the picture a second later
	Object::Ptr b = snapshot(*c, RpcClient::params({{"device", "camera1"}, {"format", "png"}}));
	EXPECT_NE(a->getValue<std::string>("filename"), b->getValue<std::string>("filename"));
	MediaSummary ma = decodeMedia(a->getValue<std::string>("file_path"));
	MediaSummary mb = decodeMedia(b->getValue<std::string>("file_path"));
	EXPECT_EQ(ma.codec, "png");
	EXPECT_EQ(ma.width, 320);
	EXPECT_EQ(ma.height, 240);
	double difference = meanAbsoluteDifference(ma.firstFrame, mb.firstFrame);
	EXPECT_GT(difference, 1.0) << "testsrc2 moves: the two pictures must differ";
}

TEST_F(SnapshotsServer, ConcurrentSnapshotsOnOneAndTwoCameras)
{
	std::vector<std::future<std::string>> results;
	for (int i = 0; i < 6; ++i)
	{
		results.push_back(std::async(std::launch::async, [i] {
			auto c = operatorClient(server().port());
			Object::Ptr r = resultObject(*c, "take_snapshot", RpcClient::params({{"device", i % 3 ? "camera0" : "camera1"}}), 15000);
			return r->getValue<std::string>("file_path");
		}));
	}
	std::set<std::string> paths;
	for (auto& f: results)
	{
		std::string path = f.get();
		MediaSummary m = decodeMedia(path);
		EXPECT_EQ(m.width, 320) << path;
		paths.insert(path);
	}
	EXPECT_EQ(paths.size(), 6u) << "every snapshot has its own file";
}

TEST_F(SnapshotsServer, ClientFilenamesAndHostileOnes)
{
	auto c = operatorClient(server().port());
	Object::Ptr ok = snapshot(*c, RpcClient::params({{"device", "camera0"}, {"filename", "front_door.jpg"}, {"quality", 50}}));
	EXPECT_EQ(ok->getValue<std::string>("filename"), "front_door.jpg");
	EXPECT_EQ(decodeMedia(ok->getValue<std::string>("file_path")).codec, "mjpeg");
	std::string before = readFileBytes(ok->getValue<std::string>("file_path"));

	const std::vector<std::string> hostile = {"../x.jpg", "/etc/passwd", "a/b.jpg", "x.exe", std::string(10240, 'n') + ".jpg",
		std::string("a\0b.jpg", 7), "", "front_door.jpg", ".hidden.jpg", "x.png\n.jpg"};
	for (const auto& name: hostile)
	{
		Object::Ptr e = errorObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}, {"filename", name}}));
		ASSERT_TRUE(e) << name.substr(0, 40);
		EXPECT_EQ(e->getValue<int>("code"), -32602) << name.substr(0, 40);
		EXPECT_EQ(e->getObject("data")->getValue<std::string>("param"), "filename") << name.substr(0, 40);
	}
	EXPECT_EQ(readFileBytes(ok->getValue<std::string>("file_path")), before) << "never overwritten";
	EXPECT_FALSE(std::filesystem::exists(server().stateDir() + "/x.jpg"));

	Object::Ptr mismatch = errorObject(*c, "take_snapshot", RpcClient::params({{"device", "camera0"}, {"filename", "a.png"}, {"format", "jpg"}}));
	ASSERT_TRUE(mismatch);
	EXPECT_EQ(mismatch->getValue<int>("code"), -32602);
	Object::Ptr png = snapshot(*c, RpcClient::params({{"device", "camera0"}, {"filename", "by_extension.png"}}));
	EXPECT_EQ(decodeMedia(png->getValue<std::string>("file_path")).codec, "png");
}

TEST_F(SnapshotsServer, UnknownCameraAndRoles)
{
	auto c = operatorClient(server().port());
	Object::Ptr e = errorObject(*c, "take_snapshot", RpcClient::params({{"device", "/dev/video42"}}));
	ASSERT_TRUE(e);
	EXPECT_EQ(e->getValue<int>("code"), -32004);
	EXPECT_EQ(e->getObject("data")->getValue<std::string>("reason"), "camera_not_found");

	RpcClient viewer(server().port());
	viewer.authenticateAs("viewer");
	EXPECT_EQ(viewer.errorCode("take_snapshot", RpcClient::params({{"device", "camera0"}})), -32003);
}
