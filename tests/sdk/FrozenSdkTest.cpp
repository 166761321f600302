//
// FrozenSdkTest.cpp
//
// Plugins built against SDK 2.0 keep working in every later 2.x service:
// the fixture plugin "frozen" is compiled against the frozen copy of the 2.0
// headers (tests/fixtures/vendor/sdk-2.0) and used here through the real server —
// its method records (validation, roles), route record, config keys,
// features, Host::call() identity record, and the introspection and camera
// records the service hands it. And a plugin built for SDK 1.x is refused
// with one log line that names it and says why.
//

#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <sstream>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

ServerProcess::Options frozenServer(std::map<std::string, std::string> defines = {})
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras", "metrics", "frozen", "sdk_1_x"};
	o.defines = {{"cameras.v4l2.enabled", "false"}, {"cameras.sources.lobby.url", "testsrc://?size=160x120&rate=5"}};
	for (auto& [k, v]: defines)
		o.defines[k] = v;
	return o;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array)
{
	std::vector<std::string> out;
	for (std::size_t i = 0; i < array->size(); ++i)
		out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
	return out;
}

TEST(FrozenSdk, A2_0PluginsMethodsAreValidatedAndAnswered)
{
	ServerProcess server(frozenServer({{"frozen.greeting", "bonjour"}}));
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto r = client.result("frozen.echo", RpcClient::params({{"text", "ab"}, {"times", 2}})).extract<Object::Ptr>();
	EXPECT_EQ(r->getValue<std::string>("text"), "abab");
	EXPECT_EQ(r->getValue<std::string>("greeting"), "bonjour") << "its declared config key reaches it";
	EXPECT_EQ(r->getValue<std::string>("caller"), "tester");
	// The param records the 2.0 plugin wrote drive the core's validation.
	EXPECT_EQ(client.errorCode("frozen.echo", RpcClient::params({{"text", "ab"}, {"times", 9}})), -32602);
	EXPECT_EQ(client.errorCode("frozen.echo", RpcClient::params({{"text", std::string(17, 'x')}})), -32602);
	EXPECT_EQ(client.errorCode("frozen.echo", RpcClient::params({{"text", "ab"}, {"extra", 1}})), -32602);
	EXPECT_EQ(client.errorCode("frozen.echo"), -32602);
	RpcClient anonymous(server.port());
	EXPECT_EQ(anonymous.errorCode("frozen.echo", RpcClient::params({{"text", "ab"}})), -32001) << "its minRole record is enforced";
	// Host::call() with an identity the plugin made.
	auto called = client.result("frozen.call").extract<Object::Ptr>();
	EXPECT_EQ(called->getValue<std::string>("text"), "via call");
	EXPECT_EQ(called->getValue<std::string>("caller"), "frozen-plugin");
}

TEST(FrozenSdk, A2_0PluginReadsTheRecordsTheServiceHandsOut)
{
	ServerProcess server(frozenServer());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.result("ping");
	auto r = client.result("frozen.report").extract<Object::Ptr>();
	EXPECT_FALSE(r->getValue<std::string>("version").empty());
	EXPECT_GE(r->getValue<int>("requests"), 2);
	auto methods = strings(r->getArray("methods"));
	EXPECT_EQ(methods, (std::vector<std::string>{"frozen.call:0", "frozen.echo:2", "frozen.report:0"}));
	auto plugins = strings(r->getArray("plugins"));
	EXPECT_NE(std::find(plugins.begin(), plugins.end(), "frozen:started"), plugins.end());
	EXPECT_NE(std::find(plugins.begin(), plugins.end(), "sdk_1_x:rejected"), plugins.end());
	EXPECT_EQ(r->getObject("features")->getValue<int>("frozen"), 1);
	EXPECT_EQ(strings(r->getArray("cameras")), (std::vector<std::string>{"camera100:CONNECTED"}));
	// Its feature reaches get_server_info like an in-tree plugin's.
	auto info = client.result("get_server_info").extract<Object::Ptr>();
	auto capabilities = strings(info->getArray("capabilities"));
	EXPECT_NE(std::find(capabilities.begin(), capabilities.end(), "frozen"), capabilities.end());
}

TEST(FrozenSdk, A2_0PluginsRouteIsAuthorizedAndServed)
{
	ServerProcess server(frozenServer());
	auto [status, body] = httpRequest(server.port(), "GET", "/frozen/x", testToken("viewer", "ada"));
	EXPECT_EQ(status, 200);
	EXPECT_EQ(body, "frozen /frozen/x for ada");
	EXPECT_EQ(httpRequest(server.port(), "GET", "/frozen/x").first, 401) << "its minRole record is enforced";
}

TEST(FrozenSdk, A1_xPluginIsRefusedWithOneLineNamingIt)
{
	ServerProcess server(frozenServer());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.result("ping"); // started
	std::istringstream log(server.log());
	std::string line;
	std::vector<std::string> lines;
	while (std::getline(log, line))
		if (line.find("sdk_1_x") != std::string::npos)
			lines.push_back(line);
	ASSERT_EQ(lines.size(), 1u) << server.log();
	EXPECT_NE(lines[0].find("plugin sdk_1_x skipped: built for SDK 1.2, this service offers SDK 2."), std::string::npos) << lines[0];
	EXPECT_NE(lines[0].find("rebuild it against this SDK"), std::string::npos) << lines[0];
}

} // namespace
