//
// AuthReloadTest.cpp
//
// A reload (SIGHUP) applies new rate limits to the running auth plugin:
// calls are refused at the new, lower rate on a connection opened before;
// a file with a bad limit is refused and the old limits stay in force.
//

#include "JwtCodec.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc;
using namespace camsvc::test;

namespace {

const std::string Secret = "reload-test-secret-0123456789abcdef";

int admitted(RpcClient& client, int calls)
	/// How many of calls pings in a row are answered (not -32002).
{
	int n = 0;
	for (int i = 0; i < calls; ++i)
		n += client.errorCode("ping") == 0 ? 1 : 0;
	return n;
}

} // namespace

TEST(AuthReload, LowerRateLimitAppliesLiveAndABadFileChangesNothing)
{
	std::string dir = makeTempDir("camsvc-auth-reload");
	std::string file = dir + "/service.properties";
	auto write = [&](const std::string& burst) {
		std::ofstream(file) << "auth.rate_limit.requests_per_second = 0.01\nauth.rate_limit.burst = " << burst << "\n";
	};
	write("1000");
	ServerProcess::Options o;
	o.plugins = {"auth"};
	o.defines = {{"auth.jwt.secret", Secret}};
	o.extraArgs = {"--config=" + file};
	ServerProcess server(o);
	RpcClient client(server.port());
	client.authenticate(auth::JwtCodec(Secret, {"HS256"}, 0).issue("alice", sdk::Role::Viewer, 600));
	EXPECT_EQ(admitted(client, 20), 20);

	write("5");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("configuration reloaded")) << server.log();
	EXPECT_EQ(admitted(client, 20), 5) << "the new burst caps the connection's bucket";

	write("-5");
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(server.waitForLog("reload refused")) << server.log();
	EXPECT_NE(server.log().find(file + ":2: auth.rate_limit.burst = \"-5\": expected a number >= 1"), std::string::npos) << server.log();
	ASSERT_TRUE(server.running());
	RpcClient fresh(server.port());
	fresh.authenticate(auth::JwtCodec(Secret, {"HS256"}, 0).issue("bob", sdk::Role::Viewer, 600));
	EXPECT_EQ(admitted(fresh, 20), 5) << "the old limits are still in force";
	removeTree(dir);
}
