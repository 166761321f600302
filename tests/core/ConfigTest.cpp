//
// ConfigTest.cpp
//
// The real binary refuses a bad configuration before anything starts (exit
// 78, one line naming the key, the value and what was expected, no port
// bound, no plugin started), warns of a mistyped key with the nearest
// declared one, refuses to run without its enabled auth plugin, and
// --check-config prints the effective configuration with origins and
// masked secrets without touching the state directory.
//

#include "support/ServerProcess.h"
#include <Poco/Net/ServerSocket.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <csignal>
#include <thread>

using namespace camsvc::test;

namespace {

struct Exit
{
	int status;
	std::string output;
};

Exit runServer(std::map<std::string, std::string> defines, std::vector<std::string> plugins = {"test_auth"},
	std::vector<std::string> extraArgs = {})
	/// Starts the server expecting it to exit by itself; its status and output.
{
	ServerProcess::Options o;
	o.waitReady = false;
	o.plugins = std::move(plugins);
	o.defines = std::move(defines);
	o.extraArgs = std::move(extraArgs);
	ServerProcess server(o);
	int status = server.terminate(0, 20000);
	std::string output = server.log();
	// Nothing listened: the port is still free to bind.
	Poco::Net::ServerSocket probe;
	EXPECT_NO_THROW(probe.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())), true));
	return {status, output};
}

void expectRefused(const std::string& key, const std::string& value, const std::string& line,
	std::vector<std::string> plugins = {"test_auth"})
{
	Exit run = runServer({{key, value}}, plugins);
	EXPECT_EQ(run.status, 78) << run.output;
	EXPECT_NE(run.output.find(line), std::string::npos) << "want: " << line << "\n" << run.output;
	EXPECT_EQ(run.output.find(" started"), std::string::npos) << "a plugin started:\n" << run.output;
	EXPECT_EQ(run.output.find("listening on"), std::string::npos) << run.output;
}

std::string writeFile(const std::string& dir, const std::string& name, const std::string& content)
{
	std::string path = dir + "/" + name;
	std::ofstream(path) << content;
	return path;
}

} // namespace

TEST(Config, NotAnIntegerIsRefusedBeforeAnythingStarts)
{
	expectRefused("server.port", "abc", "--define: server.port = \"abc\": expected an integer 1\u201365535");
}

TEST(Config, PluginKeysAreValidatedBeforeAnyPluginLoads)
{
	expectRefused("cameras.encoder.crf", "banana", "--define: cameras.encoder.crf = \"banana\": expected an integer 0\u201351",
		{"test_auth", "cameras"});
	expectRefused("auth.rate_limit.burst", "-5", "--define: auth.rate_limit.burst = \"-5\": expected a number >= 1", {"auth"});
}

TEST(Config, EveryBadValueClassNamesWhatWasExpected)
{
	expectRefused("server.websocket.max_message_size", "12", "server.websocket.max_message_size = \"12\": expected an integer 1024\u20131073741824");
	expectRefused("recording.default_format", "avi", "recording.default_format = \"avi\": expected one of mp4, mkv",
		{"test_auth", "storage", "cameras", "recording"});
	expectRefused("server.metrics.timing", "sometimes", "server.metrics.timing = \"sometimes\": expected true or false");
	expectRefused("server.websocket.path", "/" + std::string(300, 'w'), "expected at most 256 characters");
	expectRefused("server.umask", "0099", "--define: server.umask = \"0099\": expected an octal mode such as 027");
}

TEST(Config, ProblemsInTheFileNameItsPathAndLine)
{
	std::string dir = makeTempDir("camsvc-config");
	std::string file = writeFile(dir, "bad.properties", "# a comment\nserver.backlog = 10\nserver.shutdown_timeout = never\n");
	Exit run = runServer({}, {"test_auth"}, {"--config=" + file});
	EXPECT_EQ(run.status, 78) << run.output;
	EXPECT_NE(run.output.find(file + ":3: server.shutdown_timeout = \"never\": expected an integer 0\u20133600"), std::string::npos) << run.output;
	removeTree(dir);
}

TEST(Config, UnknownKeyIsWarnedWithTheNearestDeclaredKey)
{
	ServerProcess server(ServerProcess::Options{{"test_auth"}, {{"server.websocket.idle_timout", "5"}}});
	EXPECT_NE(server.log().find("--define: server.websocket.idle_timout is not a known key: did you mean \"server.websocket.idle_timeout\"?"),
		std::string::npos) << server.log();
}

TEST(Config, EnabledAuthPluginThatCannotLoadIsFatal)
{
	Exit run = runServer({{"auth.jwt.secret_file", "/nonexistent/jwt_secret"}}, {"auth", "test_tools"});
	EXPECT_EQ(run.status, 69) << run.output;
	EXPECT_NE(run.output.find("plugin auth failed, refusing to run without authentication"), std::string::npos) << run.output;
	EXPECT_NE(run.output.find("/nonexistent/jwt_secret"), std::string::npos) << run.output;
}

TEST(Config, CheckConfigPrintsOriginsMasksSecretsAndTouchesNothing)
{
	std::string dir = makeTempDir("camsvc-check");
	std::string state = dir + "/state-not-created";
	std::string file = writeFile(dir, "service.properties", "server.port = 9100\nauth.jwt.secret = 0123456789abcdef0123\n");
	ServerProcess::Options o;
	o.waitReady = false;
	o.stateDir = dir;
	o.plugins = {"auth"};
	o.defines = {{"state.directory", state}, {"auth.rate_limit.burst", "50"}};
	o.extraArgs = {"--config=" + file, "--check-config"};
	{
		ServerProcess check(o);
		EXPECT_EQ(check.terminate(0, 20000), 0) << check.log();
		std::string out = check.log();
		EXPECT_NE(out.find("auth.rate_limit.burst = 50  # --define"), std::string::npos) << out;
		EXPECT_NE(out.find("auth.jwt.secret = ********  # " + file + ":2"), std::string::npos) << out;
		EXPECT_EQ(out.find("0123456789abcdef0123"), std::string::npos) << "secret shown:\n" << out;
		EXPECT_EQ(out.find("cameras.encoder.crf"), std::string::npos) << "only enabled plugins' keys:\n" << out;
		EXPECT_NE(out.find("auth.rate_limit.requests_per_second = 100  # default"), std::string::npos) << out;
		EXPECT_EQ(out.find(" started"), std::string::npos) << out;
	}
	EXPECT_FALSE(std::filesystem::exists(state));
	o.defines["auth.rate_limit.burst"] = "0";
	ServerProcess bad(o);
	EXPECT_EQ(bad.terminate(0, 20000), 78) << bad.log();
	EXPECT_NE(bad.log().find("--define: auth.rate_limit.burst = \"0\": expected a number >= 1"), std::string::npos) << bad.log();
	EXPECT_FALSE(std::filesystem::exists(state));
	removeTree(dir);
}


TEST(Config, ReloadLogsKeysNeedingARestartAndRefusesABadFile)
{
	std::string dir = makeTempDir("camsvc-reload");
	std::string file = writeFile(dir, "service.properties", "server.backlog = 100\nlogging.level = debug\n");
	ServerProcess::Options o;
	o.defines = {{"logging.level", "information"}}; // --define stays on top across reloads
	o.extraArgs = {"--config=" + file};
	ServerProcess server(o);
	writeFile(dir, "service.properties", "server.backlog = 200\nlogging.level = trace\n");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("configuration reloaded from " + file + ": 1 key(s) changed")) << server.log();
	EXPECT_NE(server.log().find("server.backlog changed: takes effect after a restart"), std::string::npos) << server.log();
	EXPECT_EQ(server.log().find("logging.level changed"), std::string::npos) << "--define overrides the file:\n" << server.log();

	writeFile(dir, "service.properties", "server.backlog = lots\nserver.bakclog = 1\n");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("reload refused")) << server.log();
	EXPECT_NE(server.log().find(file + ":1: server.backlog = \"lots\": expected an integer 1\u20131048576"), std::string::npos) << server.log();
	EXPECT_NE(server.log().find("did you mean \"server.backlog\"?"), std::string::npos) << server.log();
	EXPECT_TRUE(server.running());
	// Still serving, with the last good configuration.
	writeFile(dir, "service.properties", "server.backlog = 200\nlogging.level = trace\n");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog(": 0 key(s) changed")) << "the refused file changed nothing:\n" << server.log();
	EXPECT_EQ(server.terminate(), 0);
	removeTree(dir);
}

TEST(Config, ReloadAppliesLogLevelsLive)
{
	std::string dir = makeTempDir("camsvc-reload-levels");
	std::string file = writeFile(dir, "service.properties", "server.backlog = 100\n");
	ServerProcess::Options o;
	o.extraArgs = {"--config=" + file};
	ServerProcess server(o);
	writeFile(dir, "service.properties", "server.backlog = 200\nlogging.levels.core = warning\n");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("configuration reloaded from " + file + ": 2 key(s) changed")) << server.log();
	// From now on the core logs warnings only: the next reload's summary (information) is not written, its warning is.
	writeFile(dir, "service.properties", "server.backlog = 300\nlogging.levels.core = warning\n");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("server.backlog changed: takes effect after a restart", 2)) << server.log();
	EXPECT_EQ(server.log().find(": 1 key(s) changed"), std::string::npos) << server.log();
	removeTree(dir);
}
