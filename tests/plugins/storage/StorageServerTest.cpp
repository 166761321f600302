//
// StorageServerTest.cpp
//
// The storage plugin in the real server, over WebSocket JSON-RPC and HTTP:
// listing shapes and paging edges, info and delete with roles, retention by
// age and size (persisted across a restart, and periodic), the storage guard
// through get_storage_info and health, and authenticated downloads.
//

#include "MediaFiles.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Format.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

constexpr double Day = 86400;

class MediaServer
	/// A state directory with media files of known ages, and the server on it.
{
public:
	explicit MediaServer(std::map<std::string, std::string> defines = {}): _dir(freshDir("camsvc-storage-server"))
	{
		_defines = std::move(defines);
		std::filesystem::create_directories(recordings());
		std::filesystem::create_directories(snapshots());
	}
	~MediaServer()
	{
		_server.reset();
		std::filesystem::remove_all(_dir);
	}

	std::string recordings() const { return _dir + "/recordings"; }
	std::string snapshots() const { return _dir + "/snapshots"; }

	void add(const std::string& dir, const std::string& name, std::size_t size, double ageDays)
	{
		writeFile(dir + "/" + name, size, static_cast<char>('A' + name.size() % 26));
		setAge(dir + "/" + name, ageDays * Day);
	}

	void start()
	{
		_server.reset();
		ServerProcess::Options o;
		o.plugins = {"test_auth", "storage"};
		o.stateDir = _dir;
		o.defines = _defines;
		_server = std::make_unique<ServerProcess>(o);
	}

	int port() const { return _server->port(); }
	ServerProcess& server() { return *_server; }

	std::unique_ptr<RpcClient> client(const std::string& role)
	{
		auto c = std::make_unique<RpcClient>(port());
		if (!role.empty())
			c->authenticateAs(role);
		return c;
	}

private:
	std::string _dir;
	std::map<std::string, std::string> _defines;
	std::unique_ptr<ServerProcess> _server;
};

Object::Ptr obj(const Poco::Dynamic::Var& v)
{
	return v.extract<Object::Ptr>();
}

Object::Ptr errorOf(RpcClient& c, const std::string& method, Object::Ptr params)
{
	Object::Ptr response = c.call(method, params);
	if (!response->has("error"))
		return nullptr;
	return response->getObject("error");
}

struct HttpReply
{
	int status = 0;
	std::string body;
	Poco::Net::HTTPResponse response;
};

HttpReply httpGet(int port, const std::string& uri, const std::string& bearer = "", const std::string& range = "")
{
	Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
	Poco::Net::HTTPRequest request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
	if (!bearer.empty())
		request.set("Authorization", "Bearer " + bearer);
	if (!range.empty())
		request.set("Range", range);
	session.sendRequest(request);
	HttpReply reply;
	Poco::StreamCopier::copyToString(session.receiveResponse(reply.response), reply.body);
	reply.status = reply.response.getStatus();
	return reply;
}

} // namespace

TEST(StorageServer, ListingShapesAndPagingEdges)
{
	MediaServer media;
	for (int i = 0; i < 25; ++i)
		media.add(media.snapshots(), Poco::format("camera0_snap%02d.jpg", i), 100 + static_cast<std::size_t>(i), 30 - i); // 24 newest
	media.add(media.recordings(), "camera0_2025-01-15_14-30-00.mp4", 1000, 3);
	media.start();

	auto anonymous = media.client("");
	EXPECT_EQ(anonymous->errorCode("list_recordings"), -32001);

	auto viewer = media.client("viewer");
	Object::Ptr recordings = obj(viewer->result("list_recordings"));
	EXPECT_EQ(recordings->getValue<int>("total"), 1);
	EXPECT_EQ(recordings->getValue<int>("limit"), 50);
	EXPECT_EQ(recordings->getValue<int>("offset"), 0);
	Object::Ptr file = recordings->getArray("files")->getObject(0);
	std::vector<std::string> keys;
	for (const auto& [k, v]: *file)
		keys.push_back(k);
	std::sort(keys.begin(), keys.end());
	EXPECT_EQ(keys, (std::vector<std::string>{"download_url", "file_size", "filename", "modified_time"}));
	EXPECT_EQ(file->getValue<std::string>("filename"), "camera0_2025-01-15_14-30-00.mp4");
	EXPECT_EQ(file->getValue<int>("file_size"), 1000);
	EXPECT_EQ(file->getValue<std::string>("download_url"), "/files/recordings/camera0_2025-01-15_14-30-00.mp4");
	std::string modified = file->getValue<std::string>("modified_time");
	EXPECT_EQ(modified.size(), 20u);
	EXPECT_EQ(modified.back(), 'Z');

	Object::Ptr page = obj(viewer->result("list_snapshots", RpcClient::params({{"limit", 10}, {"offset", 0}})));
	EXPECT_EQ(page->getValue<int>("total"), 25);
	EXPECT_EQ(page->getArray("files")->size(), 10u);
	EXPECT_EQ(page->getArray("files")->getObject(0)->getValue<std::string>("filename"), "camera0_snap24.jpg");
	Object::Ptr last = obj(viewer->result("list_snapshots", RpcClient::params({{"limit", 10}, {"offset", 20}})));
	ASSERT_EQ(last->getArray("files")->size(), 5u);
	EXPECT_EQ(last->getArray("files")->getObject(4)->getValue<std::string>("filename"), "camera0_snap00.jpg");
	Object::Ptr past = obj(viewer->result("list_snapshots", RpcClient::params({{"offset", 1000}})));
	EXPECT_EQ(past->getArray("files")->size(), 0u);
	EXPECT_EQ(past->getValue<int>("total"), 25);
	EXPECT_EQ(past->getValue<int>("offset"), 1000);
	EXPECT_EQ(obj(viewer->result("list_snapshots", RpcClient::params({{"limit", 1000}})))->getArray("files")->size(), 25u);

	for (const Poco::Dynamic::Var& bad: {Poco::Dynamic::Var(0), Poco::Dynamic::Var(1001), Poco::Dynamic::Var(-1), Poco::Dynamic::Var("10")})
	{
		Object::Ptr error = errorOf(*viewer, "list_recordings", RpcClient::params({{"limit", bad}}));
		ASSERT_TRUE(error) << bad.toString();
		EXPECT_EQ(error->getValue<int>("code"), -32602);
		EXPECT_EQ(error->getObject("data")->getValue<std::string>("param"), "limit");
	}
	EXPECT_EQ(viewer->errorCode("list_snapshots", RpcClient::params({{"offset", -1}})), -32602);
	EXPECT_EQ(viewer->errorCode("list_snapshots", RpcClient::params({{"bogus", 1}})), -32602);
}

TEST(StorageServer, InfoAndDeleteWithRoles)
{
	MediaServer media;
	ASSERT_TRUE(makeVideo(media.recordings() + "/camera1_2025-01-15_14-30-00.mp4", 2));
	media.add(media.snapshots(), "camera1_shot.jpg", 321, 1);
	media.start();
	auto viewer = media.client("viewer");
	auto op = media.client("operator");
	auto admin = media.client("admin");

	Object::Ptr info = obj(viewer->result("get_recording_info", RpcClient::params({{"filename", "camera1_2025-01-15_14-30-00.mp4"}})));
	EXPECT_NEAR(info->getValue<double>("duration"), 2.0, 0.3);
	EXPECT_GT(info->getValue<int>("file_size"), 0);
	EXPECT_EQ(info->getValue<std::string>("download_url"), "/files/recordings/camera1_2025-01-15_14-30-00.mp4");
	EXPECT_EQ(info->getValue<std::string>("created_time").back(), 'Z');
	EXPECT_EQ(info->getValue<std::string>("status"), "complete");
	Object::Ptr snap = obj(viewer->result("get_snapshot_info", RpcClient::params({{"filename", "camera1_shot.jpg"}})));
	EXPECT_EQ(snap->getValue<int>("file_size"), 321);
	EXPECT_FALSE(snap->has("duration"));

	Object::Ptr missing = errorOf(*viewer, "get_snapshot_info", RpcClient::params({{"filename", "nope.jpg"}}));
	ASSERT_TRUE(missing);
	EXPECT_EQ(missing->getValue<int>("code"), -32010);
	EXPECT_EQ(missing->getObject("data")->getValue<std::string>("reason"), "file_not_found");
	Object::Ptr traversal = errorOf(*viewer, "get_recording_info", RpcClient::params({{"filename", "../storage.db"}}));
	ASSERT_TRUE(traversal);
	EXPECT_EQ(traversal->getValue<int>("code"), -32602);
	EXPECT_EQ(traversal->getObject("data")->getValue<std::string>("param"), "filename");
	EXPECT_EQ(viewer->errorCode("get_recording_info"), -32602) << "filename required";

	auto del = RpcClient::params({{"filename", "camera1_shot.jpg"}});
	EXPECT_EQ(viewer->errorCode("delete_snapshot", del), -32003);
	EXPECT_EQ(op->errorCode("delete_snapshot", del), -32003);
	Object::Ptr deleted = obj(admin->result("delete_snapshot", del));
	EXPECT_EQ(deleted->getValue<std::string>("filename"), "camera1_shot.jpg");
	EXPECT_TRUE(deleted->getValue<bool>("deleted"));
	EXPECT_FALSE(std::filesystem::exists(media.snapshots() + "/camera1_shot.jpg"));
	EXPECT_EQ(admin->errorCode("delete_snapshot", del), -32010);
	EXPECT_EQ(obj(viewer->result("list_snapshots"))->getValue<int>("total"), 0);

	EXPECT_TRUE(obj(admin->result("delete_recording", RpcClient::params({{"filename", "camera1_2025-01-15_14-30-00.mp4"}})))->getValue<bool>("deleted"));
	EXPECT_EQ(obj(viewer->result("list_recordings"))->getValue<int>("total"), 0);
}

TEST(StorageServer, RetentionByAgeAndSizePersistsAcrossRestart)
{
	MediaServer media;
	media.add(media.recordings(), "old.mp4", 5000, 40);
	media.add(media.snapshots(), "old.jpg", 500, 20);
	media.add(media.snapshots(), "recent.jpg", 700, 2);
	media.add(media.snapshots(), "newest.jpg", 900, 0.5);
	media.start();
	auto viewer = media.client("viewer");
	auto admin = media.client("admin");

	auto age = RpcClient::params({{"policy_type", "age"}, {"max_age_days", 10}, {"enabled", false}});
	EXPECT_EQ(viewer->errorCode("set_retention_policy", age), -32003);
	EXPECT_EQ(viewer->errorCode("cleanup_old_files"), -32003);
	EXPECT_EQ(admin->errorCode("set_retention_policy", RpcClient::params({{"policy_type", "forever"}, {"enabled", true}})), -32602);
	Object::Ptr noAge = errorOf(*admin, "set_retention_policy", RpcClient::params({{"policy_type", "age"}, {"enabled", true}}));
	ASSERT_TRUE(noAge);
	EXPECT_EQ(noAge->getObject("data")->getValue<std::string>("param"), "max_age_days");

	Object::Ptr stored = obj(admin->result("set_retention_policy", age));
	EXPECT_EQ(stored->getValue<std::string>("policy_type"), "age");
	EXPECT_DOUBLE_EQ(stored->getValue<double>("max_age_days"), 10);
	EXPECT_FALSE(stored->getValue<bool>("enabled"));
	Object::Ptr cleaned = obj(admin->result("cleanup_old_files"));
	EXPECT_TRUE(cleaned->getValue<bool>("cleanup_executed"));
	EXPECT_EQ(cleaned->getValue<int>("files_deleted"), 2);
	EXPECT_EQ(cleaned->getValue<int>("space_freed"), 5500);
	EXPECT_FALSE(std::filesystem::exists(media.recordings() + "/old.mp4"));
	EXPECT_TRUE(std::filesystem::exists(media.snapshots() + "/recent.jpg"));

	// Size: 1,000 bytes kept, so only the newest (900) survives.
	admin->result("set_retention_policy", RpcClient::params({{"policy_type", "size"}, {"max_size_gb", 0.000001}, {"enabled", false}}));
	admin.reset();
	viewer.reset();
	media.start(); // restart: the policy comes from the catalog
	media.add(media.snapshots(), "ancient.jpg", 100, 400);
	auto admin2 = media.client("admin");
	cleaned = obj(admin2->result("cleanup_old_files"));
	EXPECT_EQ(cleaned->getValue<int>("files_deleted"), 1) << "reconcile has not seen ancient.jpg yet";
	EXPECT_EQ(cleaned->getValue<int>("space_freed"), 700);
	EXPECT_TRUE(std::filesystem::exists(media.snapshots() + "/newest.jpg"));
	EXPECT_FALSE(std::filesystem::exists(media.snapshots() + "/recent.jpg"));
}

TEST(StorageServer, PeriodicRetentionFromConfiguration)
{
	MediaServer media({{"storage.retention.policy", "age"}, {"storage.retention.max_age_days", "7"},
		{"storage.retention.enabled", "true"}, {"storage.retention.interval", "0.2"}});
	media.add(media.snapshots(), "stale.jpg", 10, 30);
	media.add(media.snapshots(), "fresh.jpg", 10, 1);
	media.start();
	EXPECT_TRUE(waitUntil([&] { return !std::filesystem::exists(media.snapshots() + "/stale.jpg"); }, 5000, 50));
	EXPECT_TRUE(std::filesystem::exists(media.snapshots() + "/fresh.jpg"));
	EXPECT_EQ(obj(media.client("viewer")->result("list_snapshots"))->getValue<int>("total"), 1);
}

TEST(StorageServer, StorageInfoAndGuardThresholds)
{
	{
		MediaServer media;
		media.add(media.recordings(), "a.mp4", 1234, 1);
		media.add(media.snapshots(), "b.jpg", 56, 1);
		media.start();
		auto admin = media.client("admin");
		EXPECT_EQ(media.client("viewer")->errorCode("get_storage_info"), -32003);
		Object::Ptr info = obj(admin->result("get_storage_info"));
		EXPECT_GT(info->getValue<Poco::Int64>("total_space"), 0);
		EXPECT_EQ(info->getValue<Poco::Int64>("total_space"),
			info->getValue<Poco::Int64>("used_space") + info->getValue<Poco::Int64>("available_space"));
		EXPECT_EQ(info->getValue<int>("recordings_size"), 1234);
		EXPECT_EQ(info->getValue<int>("snapshots_size"), 56);
		EXPECT_FALSE(info->getValue<bool>("low_space_warning"));
		HttpReply ready = httpGet(media.port(), "/health/ready");
		EXPECT_NE(ready.body.find("\"storage\""), std::string::npos) << ready.body;
	}
	{
		MediaServer media(std::map<std::string, std::string>{{"storage.guard.warn_percent", "100"}});
		media.start();
		Object::Ptr info = obj(media.client("admin")->result("get_storage_info"));
		EXPECT_TRUE(info->getValue<bool>("low_space_warning"));
		EXPECT_EQ(info->getValue<std::string>("storage_status"), "low");
		HttpReply ready = httpGet(media.port(), "/health/ready");
		EXPECT_NE(ready.body.find("degraded"), std::string::npos) << ready.body;
	}
}

TEST(StorageServer, DownloadsWithAuthRangesAndTraversal)
{
	MediaServer media;
	std::string content(100000, '\0');
	for (std::size_t i = 0; i < content.size(); ++i)
		content[i] = static_cast<char>(i * 7 % 251);
	std::ofstream(media.recordings() + "/camera0_clip.mp4", std::ios::binary) << content;
	writeFile(media.snapshots() + "/still.jpg", 10, 'j');
	std::filesystem::create_symlink(media.recordings() + "/../storage.db", media.recordings() + "/db.mp4");
	media.start();
	const std::string viewer = testToken("viewer");
	const int port = media.port();

	HttpReply full = httpGet(port, "/files/recordings/camera0_clip.mp4", viewer);
	EXPECT_EQ(full.status, 200);
	EXPECT_EQ(full.body, content);
	EXPECT_EQ(full.response.getContentType(), "video/mp4");
	EXPECT_EQ(full.response.get("Accept-Ranges"), "bytes");
	EXPECT_FALSE(full.response.get("Last-Modified", "").empty());
	HttpReply query = httpGet(port, "/files/snapshots/still.jpg?token=" + viewer);
	EXPECT_EQ(query.status, 200);
	EXPECT_EQ(query.body, std::string(10, 'j'));
	EXPECT_EQ(query.response.getContentType(), "image/jpeg");

	HttpReply head = httpGet(port, "/files/recordings/camera0_clip.mp4", viewer, "bytes=0-1023");
	EXPECT_EQ(head.status, 206);
	EXPECT_EQ(head.body, content.substr(0, 1024));
	EXPECT_EQ(head.response.get("Content-Range"), "bytes 0-1023/100000");
	HttpReply seek = httpGet(port, "/files/recordings/camera0_clip.mp4", viewer, "bytes=50000-50009");
	EXPECT_EQ(seek.body, content.substr(50000, 10));
	HttpReply suffix = httpGet(port, "/files/recordings/camera0_clip.mp4", viewer, "bytes=-100");
	EXPECT_EQ(suffix.status, 206);
	EXPECT_EQ(suffix.body, content.substr(content.size() - 100));
	HttpReply beyond = httpGet(port, "/files/recordings/camera0_clip.mp4", viewer, "bytes=100000-");
	EXPECT_EQ(beyond.status, 416);
	EXPECT_EQ(beyond.response.get("Content-Range"), "bytes */100000");

	EXPECT_EQ(httpGet(port, "/files/recordings/camera0_clip.mp4").status, 401);
	EXPECT_EQ(httpGet(port, "/files/recordings/camera0_clip.mp4", "wrong").status, 401);
	EXPECT_EQ(httpGet(port, "/files/recordings/camera0_clip.mp4?token=wrong").status, 401);
	EXPECT_EQ(httpGet(port, "/files/recordings/camera0_clip.mp4", testToken("viewer", "x", -10)).status, 401);

	for (const std::string uri: {"/files/recordings/../storage.db", "/files/recordings/..%2Fstorage.db",
			"/files/recordings/%2E%2E%2Fstorage.db", "/files/recordings/..%5Cstorage.db", "/files/recordings/%2Fetc%2Fpasswd",
			"/files/snapshots/../recordings/camera0_clip.mp4", "/files/recordings/camera0_clip.mp4%00.jpg"})
	{
		HttpReply r = httpGet(port, uri, viewer);
		EXPECT_TRUE(r.status == 400 || r.status == 404) << uri << " -> " << r.status;
		EXPECT_NE(r.body.substr(0, 15), "SQLite format 3") << uri;
	}
	EXPECT_EQ(httpGet(port, "/files/recordings/db.mp4", viewer).status, 404) << "symlink pointing outside";
	EXPECT_EQ(httpGet(port, "/files/snapshots/camera0_clip.mp4", viewer).status, 400) << "not a snapshot name";
	EXPECT_EQ(httpGet(port, "/files/recordings/absent.mp4", viewer).status, 404);
}
