//
// DaemonTest.cpp
//
// --daemon and --pidfile through the real binary, started from a temporary
// working directory with relative paths: the parent exits 0 only once the
// daemon answers, or with the daemon's exit code and error; the pid file is
// the daemon's, removed on SIGTERM, a stale one replaced, a live one refused,
// and of two racing starts exactly one runs.
//
// Every daemon a test starts carries CAMSVC_DAEMON_TEST=<its directory> in
// its environment; the fixture kills every process that does at teardown, so
// no daemon outlives a failed test.
//

#include "support/ChildProcess.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

using camsvc::test::ChildProcess;
using camsvc::test::ServerProcess;
using camsvc::test::httpRequest;
using camsvc::test::waitUntil;

constexpr int ParentTimeoutMs = 20000;

constexpr int WaitMs = 10000;

std::string readFile(const std::string& path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

pid_t pidIn(const std::string& path)
{
	std::ifstream in(path);
	pid_t pid = 0;
	if (!(in >> pid))
		return 0;
	return pid;
}

bool gone(pid_t pid)
	/// Not running: no such process, or a zombie its new parent has not reaped yet.
{
	if (::kill(pid, 0) != 0)
		return true;
	std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
	auto close = stat.rfind(')');
	return close == std::string::npos || (close + 2 < stat.size() && stat[close + 2] == 'Z');
}

std::string link(const std::string& path)
{
	std::error_code ec;
	auto target = std::filesystem::read_symlink(path, ec);
	return ec ? std::string() : target.string();
}

pid_t deadPid()
	/// The pid of a process that has just exited and been reaped.
{
	pid_t pid = ::fork();
	if (pid == 0)
		::_exit(0);
	::waitpid(pid, nullptr, 0);
	return pid;
}

class Daemon: public ::testing::Test
{
protected:
	void SetUp() override
	{
		_previousDir = std::filesystem::current_path();
		_dir = std::filesystem::canonical(camsvc::test::makeTempDir("camsvc-daemon")).string();
		std::filesystem::current_path(_dir); // every relative path below is relative to it
	}

	void TearDown() override
	{
		killMarkedProcesses();
		std::filesystem::current_path(_previousDir);
		camsvc::test::removeTree(_dir);
	}

	void writeConfig(int port, const std::string& file = "camera-service.properties",
		const std::string& pluginDir = ServerProcess::pluginDir(), const std::string& plugins = "test_auth")
		/// The way an admin writes it: relative state directory and log file.
	{
		std::ofstream out(file);
		out << "server.host = 127.0.0.1\n"
			<< "server.port = " << port << "\n"
			<< "state.directory = state\n"
			<< "logging.file = service.log\n"
			<< "plugins.directory = " << pluginDir << "\n"
			<< "plugins.enabled = " << plugins << "\n";
	}

	std::unique_ptr<ChildProcess> start(const std::vector<std::string>& args, const std::string& output)
		/// camera-service <args>, its standard output and error in output.
	{
		std::vector<std::string> argv{ServerProcess::binary()};
		argv.insert(argv.end(), args.begin(), args.end());
		return std::make_unique<ChildProcess>(argv, _dir + "/" + output, std::map<std::string, std::string>{{"CAMSVC_DAEMON_TEST", _dir}});
	}

	int startDaemon(const std::vector<std::string>& args, const std::string& output = "parent.out")
		/// Runs the parent to its end: its exit status.
	{
		auto parent = start(args, output);
		return parent->stop(0, ParentTimeoutMs);
	}

	void stopDaemon(pid_t pid, const std::string& pidFile)
	{
		ASSERT_GT(pid, 0) << "no daemon pid"; // kill(0) would signal this test's own process group
		ASSERT_EQ(::kill(pid, SIGTERM), 0);
		EXPECT_TRUE(waitUntil([&] { return gone(pid); }, WaitMs)) << "the daemon did not stop on SIGTERM";
		EXPECT_FALSE(std::filesystem::exists(pidFile)) << "the pid file outlived the daemon";
	}

	static bool isTheService(pid_t pid)
	{
		return link("/proc/" + std::to_string(pid) + "/exe") == std::filesystem::canonical(ServerProcess::binary()).string();
	}

	std::vector<pid_t> markedProcesses() const
		/// Every live process started by this test (its environment carries the marker).
	{
		const std::string marker = "CAMSVC_DAEMON_TEST=" + _dir;
		std::vector<pid_t> found;
		DIR* proc = ::opendir("/proc");
		if (!proc)
			return found;
		while (dirent* entry = ::readdir(proc))
		{
			pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
			if (pid <= 0 || gone(pid))
				continue;
			std::string environment = readFile("/proc/" + std::to_string(pid) + "/environ");
			std::istringstream variables(environment);
			std::string variable;
			while (std::getline(variables, variable, '\0'))
				if (variable == marker)
				{
					found.push_back(pid);
					break;
				}
		}
		::closedir(proc);
		return found;
	}

	void killMarkedProcesses()
	{
		// A daemon that reported a failed start may still be exiting (its
		// plugins stopping, a sanitizer's exit checks): it gets a moment.
		waitUntil([&] { return markedProcesses().empty(); }, 5000);
		for (pid_t pid: markedProcesses())
		{
			::kill(pid, SIGKILL);
			ADD_FAILURE() << "process " << pid << " of this test was still running at teardown";
		}
	}

	std::string _dir;
	std::filesystem::path _previousDir;
};

TEST_F(Daemon, RelativePathsResolvedAndParentExitsOnceTheDaemonAnswers)
{
	int port = ServerProcess::freePort();
	writeConfig(port);
	std::filesystem::create_directory("logs");
	ASSERT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid",
		"--define=logging.file=logs/service.log"}), 0) << readFile("parent.out");

	// Ready means ready: no waiting for the port once the parent has exited.
	EXPECT_EQ(httpRequest(port, "GET", "/health").first, 200);
	pid_t pid = pidIn("camera-service.pid");
	ASSERT_GT(pid, 0) << "the pid file exists when the parent exits";
	EXPECT_TRUE(isTheService(pid)) << "the pid file names the daemon itself";
	EXPECT_EQ(link("/proc/" + std::to_string(pid) + "/cwd"), "/");
	auto pidFileMode = std::filesystem::status("camera-service.pid").permissions();
	EXPECT_EQ(pidFileMode, std::filesystem::perms(0644));
	EXPECT_EQ(std::filesystem::status("state").permissions(), std::filesystem::perms::owner_all) << "state.directory = state";
	EXPECT_TRUE(waitUntil([] { return readFile("logs/service.log").find("listening on") != std::string::npos; }, WaitMs))
		<< "--define logging.file=logs/service.log";
	EXPECT_FALSE(std::filesystem::exists("service.log")) << "the --define overrides the file's logging.file";

	stopDaemon(pid, "camera-service.pid");
	EXPECT_NE(readFile("logs/service.log").find("stopped"), std::string::npos);
}

TEST_F(Daemon, PortInUseIsTheParentsExitCodeAndError)
{
	Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
	int port = taken.address().port();
	writeConfig(port);
	EXPECT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid"}), 69)
		<< "EX_UNAVAILABLE, the daemon's own code\n" << readFile("parent.out");
	std::string out = readFile("parent.out");
	EXPECT_NE(out.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos) << out;
	EXPECT_NE(out.find("Address already in use"), std::string::npos) << out;
	EXPECT_FALSE(std::filesystem::exists("camera-service.pid")) << "removed before the parent exits";
}

TEST_F(Daemon, UnusableStateDirectoryIsTheParentsExitCodeAndError)
{
	writeConfig(ServerProcess::freePort());
	std::ofstream("not-a-directory") << "x";
	EXPECT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--define=state.directory=not-a-directory/state"}), 73)
		<< "EX_CANTCREAT\n" << readFile("parent.out");
	std::string out = readFile("parent.out");
	EXPECT_NE(out.find("cannot use state directory"), std::string::npos) << out;
	EXPECT_NE(out.find(_dir + "/not-a-directory/state"), std::string::npos) << "the path, resolved: " << out;
}

TEST_F(Daemon, CrashBeforeReadyIsReportedWithTheSignal)
{
	writeConfig(ServerProcess::freePort(), "camera-service.properties", FIXTURE_PLUGIN_DIR, "aborts_start");
	EXPECT_EQ(startDaemon({"--config=camera-service.properties", "--daemon"}), 128 + SIGABRT) << readFile("parent.out");
	EXPECT_NE(readFile("parent.out").find("was killed by signal 6"), std::string::npos) << readFile("parent.out");
}

TEST_F(Daemon, StalePidFileIsReplaced)
{
	int port = ServerProcess::freePort();
	writeConfig(port);
	struct Case
	{
		pid_t stale;
		const char* reason;
	};
	for (Case c: {Case{deadPid(), "is not running"}, Case{::getpid(), "is not a camera-service process"}})
	{
		std::ofstream("camera-service.pid") << c.stale << "\n";
		ASSERT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid"}), 0)
			<< readFile("parent.out");
		pid_t pid = pidIn("camera-service.pid");
		EXPECT_NE(pid, c.stale);
		EXPECT_TRUE(isTheService(pid));
		std::string expected = "replacing stale pid file " + _dir + "/camera-service.pid: pid " + std::to_string(c.stale) + " " + c.reason;
		EXPECT_NE(readFile("service.log").find(expected), std::string::npos) << readFile("service.log");
		stopDaemon(pid, "camera-service.pid");
	}
}

TEST_F(Daemon, LivePidFileIsRefused)
{
	// A camera-service that holds no lock (started without --pidfile) ...
	ServerProcess foreground;
	std::ofstream("camera-service.pid") << foreground.pid() << "\n";
	writeConfig(ServerProcess::freePort());
	EXPECT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid"}), 75)
		<< "EX_TEMPFAIL\n" << readFile("parent.out");
	EXPECT_NE(readFile("parent.out").find("already running, pid " + std::to_string(foreground.pid())), std::string::npos)
		<< readFile("parent.out");
	EXPECT_EQ(pidIn("camera-service.pid"), foreground.pid()) << "a refused start leaves the pid file alone";

	// ... and one that holds it.
	std::filesystem::remove("camera-service.pid");
	ASSERT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid"}), 0)
		<< readFile("parent.out");
	pid_t running = pidIn("camera-service.pid");
	writeConfig(ServerProcess::freePort(), "second.properties");
	EXPECT_EQ(startDaemon({"--config=second.properties", "--daemon", "--pidfile=camera-service.pid"}, "second.out"), 75)
		<< readFile("second.out");
	EXPECT_NE(readFile("second.out").find("already running, pid " + std::to_string(running)), std::string::npos)
		<< readFile("second.out");
	EXPECT_EQ(pidIn("camera-service.pid"), running);
	stopDaemon(running, "camera-service.pid");
}

TEST_F(Daemon, OfTwoRacingStartsExactlyOneRuns)
{
	int ports[2] = {ServerProcess::freePort(), ServerProcess::freePort()};
	writeConfig(ports[0], "a.properties");
	writeConfig(ports[1], "b.properties");
	auto a = start({"--config=a.properties", "--daemon", "--pidfile=camera-service.pid"}, "a.out");
	auto b = start({"--config=b.properties", "--daemon", "--pidfile=camera-service.pid"}, "b.out");
	int statusA = a->stop(0, ParentTimeoutMs);
	int statusB = b->stop(0, ParentTimeoutMs);
	ASSERT_EQ(std::min(statusA, statusB), 0) << readFile("a.out") << readFile("b.out");
	ASSERT_EQ(std::max(statusA, statusB), 75) << readFile("a.out") << readFile("b.out");
	int winner = statusA == 0 ? 0 : 1;
	EXPECT_EQ(httpRequest(ports[winner], "GET", "/health").first, 200);
	EXPECT_THROW(httpRequest(ports[1 - winner], "GET", "/health"), std::exception) << "the loser does not listen";
	EXPECT_NE(readFile(winner == 0 ? "b.out" : "a.out").find("already running, pid"), std::string::npos);
	pid_t pid = pidIn("camera-service.pid");
	EXPECT_TRUE(isTheService(pid));
	stopDaemon(pid, "camera-service.pid");
}

TEST_F(Daemon, ForegroundPidFileIsTheProcessAndRemovedOnExit)
{
	// Without --daemon nothing detaches: the process started is the service.
	int port = ServerProcess::freePort();
	writeConfig(port);
	auto service = start({"--config=camera-service.properties", "--pidfile=camera-service.pid"}, "foreground.out");
	ASSERT_TRUE(waitUntil([&] { return pidIn("camera-service.pid") == service->pid(); }, WaitMs)) << readFile("foreground.out");
	ASSERT_TRUE(waitUntil([&] {
		try
		{
			return httpRequest(port, "GET", "/health").first == 200;
		}
		catch (const std::exception&)
		{
			return false;
		}
	}, WaitMs));
	EXPECT_EQ(service->stop(SIGTERM, ParentTimeoutMs), 0);
	EXPECT_FALSE(std::filesystem::exists("camera-service.pid"));
}

TEST_F(Daemon, PidFileThatIsASymlinkIsNotFollowed)
{
	// A link planted where the pid file goes must not make the service write elsewhere.
	std::ofstream("precious") << "keep\n";
	std::filesystem::create_symlink(_dir + "/precious", "camera-service.pid");
	writeConfig(ServerProcess::freePort());
	EXPECT_EQ(startDaemon({"--config=camera-service.properties", "--daemon", "--pidfile=camera-service.pid"}), 73)
		<< "EX_CANTCREAT\n" << readFile("parent.out");
	EXPECT_NE(readFile("parent.out").find("cannot create pid file " + _dir + "/camera-service.pid"), std::string::npos)
		<< readFile("parent.out");
	EXPECT_EQ(readFile("precious"), "keep\n");
}

} // namespace
