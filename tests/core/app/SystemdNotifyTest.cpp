//
// SystemdNotifyTest.cpp
//
// Type=notify through the real binary, with a datagram socket standing in
// for systemd: READY=1 only once the service answers, RELOADING=1 and READY=1
// around a SIGHUP reload, STOPPING=1 at SIGTERM; never READY=1 for a start
// that fails; "@name" (abstract) addresses too; WATCHDOG=1 every half
// WATCHDOG_USEC while the service runs, none while an I/O loop is stuck
// (a plugin blocking it), none when WATCHDOG_PID names another process.
//

#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <gtest/gtest.h>
#include <chrono>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <thread>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace camsvc::test;

namespace {

class ServiceManagerSocket
	/// What systemd listens on: a unix datagram socket at a path or, for "@name", in the abstract namespace.
{
public:
	explicit ServiceManagerSocket(const std::string& address)
	{
		_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		sockaddr_un a{};
		a.sun_family = AF_UNIX;
		std::memcpy(a.sun_path, address.data(), address.size());
		if (address[0] == '@')
			a.sun_path[0] = '\0';
		auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size());
		if (_fd < 0 || ::bind(_fd, reinterpret_cast<sockaddr*>(&a), length) != 0)
			throw std::runtime_error("cannot bind " + address + ": " + std::strerror(errno));
	}

	~ServiceManagerSocket() { ::close(_fd); }

	std::string next(int timeoutMs)
		/// The next notification, "" when none came within the timeout.
	{
		pollfd p{_fd, POLLIN, 0};
		if (::poll(&p, 1, timeoutMs) != 1)
			return "";
		char buffer[4096];
		ssize_t n = ::recv(_fd, buffer, sizeof buffer, 0);
		return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
	}

private:
	int _fd = -1;
};

ServerProcess::Options notifying(const std::string& socket, std::map<std::string, std::string> defines = {},
	std::map<std::string, std::string> environment = {})
{
	auto o = ServerProcess::Options::of({"test_auth"}, std::move(defines));
	o.environment = std::move(environment);
	o.environment["NOTIFY_SOCKET"] = socket;
	o.waitReady = false;
	return o;
}

int countWithin(ServiceManagerSocket& manager, const std::string& message, int milliseconds)
	/// How many notifications holding message arrive in that time.
{
	int count = 0;
	auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
	for (auto now = std::chrono::steady_clock::now(); now < end; now = std::chrono::steady_clock::now())
		if (manager.next(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(end - now).count()) + 1).find(message) != std::string::npos)
			++count;
	return count;
}

} // namespace

TEST(SystemdNotify, ReadyOnceServingReloadingAroundAReloadStoppingAtSigterm)
{
	std::string dir = makeTempDir("camsvc-notify");
	ServiceManagerSocket manager(dir + "/notify");
	ServerProcess server(notifying(dir + "/notify"));

	std::string ready = manager.next(10000);
	EXPECT_NE(ready.find("READY=1\n"), std::string::npos) << ready;
	EXPECT_NE(ready.find("MAINPID=" + std::to_string(server.pid()) + "\n"), std::string::npos) << ready;
	EXPECT_NE(ready.find("STATUS=serving on 127.0.0.1:" + std::to_string(server.port())), std::string::npos) << ready;
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200) << "READY=1 means it answers now";

	::kill(server.pid(), SIGHUP);
	std::string reloading = manager.next(10000);
	EXPECT_NE(reloading.find("RELOADING=1\nMONOTONIC_USEC="), std::string::npos) << reloading;
	EXPECT_NE(manager.next(10000).find("READY=1\n"), std::string::npos) << "the reload is done";

	EXPECT_EQ(server.terminate(), 0);
	EXPECT_NE(manager.next(5000).find("STOPPING=1\n"), std::string::npos);
	removeTree(dir);
}

TEST(SystemdNotify, AbstractSocketAddress)
{
	std::string name = "@camsvc-notify-test-" + std::to_string(::getpid());
	ServiceManagerSocket manager(name);
	ServerProcess server(notifying(name));
	EXPECT_NE(manager.next(10000).find("READY=1\n"), std::string::npos);
}

TEST(SystemdNotify, AStartThatFailsNeverSaysReady)
{
	std::string dir = makeTempDir("camsvc-notify");
	ServiceManagerSocket manager(dir + "/notify");
	ServerProcess server(notifying(dir + "/notify", {{"server.websocket.auth_timeout", "banana"}}));
	EXPECT_EQ(server.terminate(0), 78) << "a bad key: EX_CONFIG\n" << server.log();
	EXPECT_EQ(manager.next(500), "") << "no READY=1 for a service that never served";
	removeTree(dir);
}

TEST(SystemdNotify, TheWatchdogIsFedEveryHalfIntervalWhileTheLoopsTurn)
{
	std::string dir = makeTempDir("camsvc-notify");
	ServiceManagerSocket manager(dir + "/notify");
	ServerProcess server(notifying(dir + "/notify", {}, {{"WATCHDOG_USEC", "1000000"}}));
	ASSERT_NE(manager.next(10000).find("READY=1\n"), std::string::npos);
	int fed = countWithin(manager, "WATCHDOG=1", 3000);
	EXPECT_GE(fed, 4) << "every 500 ms for 3 s";
	EXPECT_LE(fed, 7);
	removeTree(dir);
}

TEST(SystemdNotify, AWatchdogMeantForAnotherProcessIsLeftAlone)
{
	std::string dir = makeTempDir("camsvc-notify");
	ServiceManagerSocket manager(dir + "/notify");
	ServerProcess server(notifying(dir + "/notify", {}, {{"WATCHDOG_USEC", "1000000"}, {"WATCHDOG_PID", "1"}}));
	ASSERT_NE(manager.next(10000).find("READY=1\n"), std::string::npos);
	EXPECT_EQ(countWithin(manager, "WATCHDOG=1", 1500), 0);
	removeTree(dir);
}

TEST(SystemdNotify, AStuckIoLoopStarvesTheWatchdog)
{
	std::string dir = makeTempDir("camsvc-notify");
	ServiceManagerSocket manager(dir + "/notify");
	auto o = notifying(dir + "/notify", {}, {{"WATCHDOG_USEC", "1000000"}});
	o.plugins = {"test_auth", "test_tools"};
	ServerProcess server(o);
	ASSERT_NE(manager.next(10000).find("READY=1\n"), std::string::npos);
	RpcClient client(server.port());
	client.authenticateAs("admin");
	std::thread blocker([&] { client.call("test.block_io_loop", RpcClient::params({{"ms", 4000}}), 15000); });
	ASSERT_TRUE(server.waitForLog("test.block_io_loop: blocking", 1, 5000));
	countWithin(manager, "WATCHDOG=1", 1300); // fed until the loop has been stuck for half the interval (1 s at least)
	EXPECT_EQ(countWithin(manager, "WATCHDOG=1", 1200), 0) << "not fed while the loop is stuck";
	blocker.join();
	EXPECT_GE(countWithin(manager, "WATCHDOG=1", 1500), 2) << "fed again once it turns";
	EXPECT_TRUE(server.waitForLog("an I/O loop has not turned for")) << server.log();
	removeTree(dir);
}
