//
// HelloPluginTest.cpp
//
// The example third-party plugin, built out of tree against the installed
// SDK (hello_plugin_test.sh), loaded by the installed binary and called
// over WebSocket.
//

#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <gtest/gtest.h>

using namespace camsvc::test;

TEST(HelloPlugin, OutOfTreePluginMethodIsCallable)
{
	ServerProcess::Options options;
	options.plugins = {"test_auth", "hello"};
	options.defines = {{"hello.greeting", "Good day"}};
	ServerProcess server(options);
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto result = client.result("hello.greet", RpcClient::params({{"name", "Ada"}})).extract<Poco::JSON::Object::Ptr>();
	EXPECT_EQ(result->getValue<std::string>("greeting"), "Good day, Ada");
	EXPECT_EQ(result->getValue<int>("count"), 1);
	auto notification = client.nextNotification(3000);
	ASSERT_TRUE(notification);
	EXPECT_EQ(notification->getValue<std::string>("method"), "hello_greeted");
	EXPECT_EQ(client.errorCode("hello.greet", RpcClient::params({{"name", 5}})), -32602);
	EXPECT_EQ(client.errorCode("hello.greet"), -32602);
}
