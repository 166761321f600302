//
// DiskFullServerTest.cpp
//
// A recording that fills a real file system, through the running server: the
// recordings directory is a 3 MiB tmpfs (the catalog and the snapshots stay on
// the normal disk in the state directory), a 1280x720@30 test pattern is
// recorded with no duration until a write fails with ENOSPC. The recording
// must end with ERROR then STOPPED (reason storage_full), leave a finalized
// file that decodes and that the catalog lists as complete with its size, and
// the server must go on answering. Mounting needs CAP_SYS_ADMIN: without it
// (a non-root developer, a container without the capability) the test enters
// its own user and mount namespace, where an unprivileged process may mount a
// tmpfs, and the server it starts inherits both. Only where neither works is
// it skipped - and in CI (CAMSVC_REQUIRE_ALL_TESTS=1) that is a failure.
//

#include "CaptureServer.h"
#include "MediaCheck.h"
#include "support/RequireAll.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

constexpr const char* TmpfsOptions = "size=3m,mode=0700";

bool writeProcFile(const std::string& path, const std::string& text)
{
	std::ofstream out(path);
	out << text;
	return static_cast<bool>(out.flush());
}

bool enterOwnMountNamespace()
	/// unshare(2) into a new user namespace (mapping our uid and gid to its
	/// root) and mount namespace: there the process may mount a tmpfs without
	/// CAP_SYS_ADMIN in the initial namespace. False when the kernel or a
	/// seccomp profile does not allow it (or the process has threads).
{
	uid_t uid = ::getuid();
	gid_t gid = ::getgid();
	if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
		return false;
	return writeProcFile("/proc/self/setgroups", "deny")
		&& writeProcFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1")
		&& writeProcFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
}

int mountTmpfs(const std::string& dir)
	/// 0, or the errno of the mount that failed.
{
	return ::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, TmpfsOptions) == 0 ? 0 : errno;
}

class DiskFullServer: public ::testing::Test
	/// A fresh tmpfs for the recordings, unmounted (lazily, so an open file
	/// cannot keep it) in TearDown, which gtest runs whatever the test did.
{
protected:
	void SetUp() override
	{
		_dir = makeTempDir("camsvc-diskfull");
		int error = mountTmpfs(_dir);
		if ((error == EPERM || error == EACCES) && enterOwnMountNamespace())
			error = mountTmpfs(_dir);
		if (error)
		{
			removeTree(_dir);
			_dir.clear();
			if (error == EPERM || error == EACCES)
				CAMSVC_SKIP_OR_FAIL("cannot mount a tmpfs (" << std::strerror(error)
					<< "): needs CAP_SYS_ADMIN or unprivileged user namespaces");
			FAIL() << "mount -t tmpfs on a temporary directory: " << std::strerror(error);
		}
		_mounted = true;
	}

	void TearDown() override
	{
		if (_mounted)
		{
			EXPECT_EQ(::umount2(_dir.c_str(), MNT_DETACH), 0) << std::strerror(errno);
		}
		if (!_dir.empty())
			removeTree(_dir); // the empty mount point
	}

	const std::string& recordingsDir() const { return _dir; }

private:
	std::string _dir;
	bool _mounted = false;
};

} // namespace

TEST_F(DiskFullServer, RecordingStopsAndIsFinalizedWhenTheFileSystemIsFull)
{
	auto begin = std::chrono::steady_clock::now();
	ServerProcess::Options o = captureServerOptions();
	o.defines["storage.recordings.path"] = recordingsDir();
	// An empty tmpfs is 100 % free; 0 keeps the guard from refusing the start
	// whatever the thresholds' defaults become, so only the disk stops it.
	o.defines["storage.guard.warn_percent"] = "0";
	o.defines["storage.guard.critical_percent"] = "0";
	o.defines["storage.guard.reserve_bytes"] = "0";
	o.defines["cameras.sources.hd.url"] = "testsrc://?size=1280x720&rate=30"; // ~1 MB/s: 3 MiB in a few seconds
	o.defines["cameras.sources.hd.index"] = "7";
	ServerProcess server(o);
	EXPECT_NE(server.stateDir().rfind(recordingsDir(), 0), 0u) << "the catalog must not be on the full disk";

	auto c = operatorClient(server.port(), {"recording_status_update"});
	Object::Ptr r = resultObject(*c, "start_recording", RpcClient::params({{"device", "camera7"}}));
	EXPECT_EQ(r->getValue<std::string>("status"), "STARTED");
	EXPECT_FALSE(r->has("warning")) << "the guard must accept the start";
	std::string name = r->getValue<std::string>("filename");
	std::string path = recordingsDir() + "/" + name;
	EXPECT_EQ(r->getValue<std::string>("file_path"), path);

	Object::Ptr error = waitNotification(*c, "recording_status_update", "ERROR", 15000);
	ASSERT_TRUE(error) << "no ERROR notification; server log:\n" << server.log();
	EXPECT_EQ(error->getValue<std::string>("reason"), "storage_full") << error->getValue<std::string>("error");
	EXPECT_EQ(error->getValue<std::string>("filename"), name);
	EXPECT_FALSE(error->getValue<std::string>("error").empty());
	Object::Ptr stopped = waitNotification(*c, "recording_status_update", "STOPPED", 5000);
	ASSERT_TRUE(stopped) << server.log();
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "storage_full");
	EXPECT_EQ(stopped->getValue<std::string>("filename"), name);
	double fullAfter = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

	// The file: on the full tmpfs, finalized, decodable.
	ASSERT_TRUE(std::filesystem::exists(path));
	std::uint64_t size = std::filesystem::file_size(path);
	EXPECT_GT(size, 1000000u) << "the disk was filled";
	EXPECT_LE(size, 3u << 20);
	MediaSummary m = decodeMedia(path);
	EXPECT_TRUE(m.opened);
	EXPECT_EQ(m.codec, "h264");
	EXPECT_EQ(m.width, 1280);
	EXPECT_EQ(m.height, 720);
	EXPECT_GT(m.frames, 0);
	EXPECT_EQ(m.decodeErrors, 0) << "no torn fragment at the end";
	EXPECT_GT(m.seconds, 0.5);
	std::printf("[ measured ] disk full after %.1f s: %llu bytes, %d frames (%.2f s) decode, %d decode errors\n",
		fullAfter, static_cast<unsigned long long>(size), m.frames, m.seconds, m.decodeErrors);

	// The catalog: complete, with the size on disk.
	Object::Ptr info = resultObject(*c, "get_recording_info", RpcClient::params({{"filename", name}}));
	EXPECT_EQ(info->getValue<std::string>("status"), "complete");
	EXPECT_EQ(info->getValue<std::uint64_t>("file_size"), size);
	EXPECT_NEAR(info->getValue<double>("duration"), m.seconds, 0.2) << "the media time the file holds";
	EXPECT_EQ(stopped->getValue<std::uint64_t>("file_size"), size);
	EXPECT_NEAR(stopped->getValue<double>("duration_seconds"), m.seconds, 0.2);
	Object::Ptr list = resultObject(*c, "list_recordings", RpcClient::params({{"limit", 10}}));
	Poco::JSON::Array::Ptr files = list->getArray("files");
	ASSERT_TRUE(files);
	ASSERT_EQ(files->size(), 1u);
	EXPECT_EQ(files->getObject(0)->getValue<std::string>("filename"), name);
	EXPECT_EQ(files->getObject(0)->getValue<std::uint64_t>("file_size"), size);

	// The server goes on; the recording is over.
	EXPECT_EQ(c->result("ping").toString(), "pong");
	Object::Ptr e = errorObject(*c, "stop_recording", RpcClient::params({{"device", "camera7"}}));
	ASSERT_TRUE(e);
	EXPECT_EQ(e->getValue<int>("code"), -32010);
	EXPECT_EQ(e->getObject("data")->getValue<std::string>("reason"), "not_recording");
	EXPECT_TRUE(server.running());
	EXPECT_EQ(server.terminate(SIGTERM), 0);
}
