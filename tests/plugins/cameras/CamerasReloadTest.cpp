//
// CamerasReloadTest.cpp
//
// A reload (SIGHUP) applies the declared sources live: one added to the
// file appears in get_camera_list (announced by camera_status_update), one
// removed disappears with a DISCONNECTED update, an unchanged one keeps its
// name.
//

#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

std::set<std::string> cameraNames(RpcClient& client)
{
	std::set<std::string> names;
	auto list = client.result("get_camera_list").extract<Object::Ptr>()->getArray("cameras");
	for (std::size_t i = 0; i < list->size(); ++i)
		names.insert(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("device"));
	return names;
}

Object::Ptr waitForUpdate(RpcClient& client, const std::string& device, const std::string& status)
	/// The next camera_status_update of device with status, or null after 10 s.
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
	while (std::chrono::steady_clock::now() < deadline)
	{
		auto n = client.nextNotification(1000);
		if (n && n->getValue<std::string>("method") == "camera_status_update" && n->getObject("params")->getValue<std::string>("device") == device
			&& n->getObject("params")->getValue<std::string>("status") == status)
			return n->getObject("params");
	}
	return nullptr;
}

} // namespace

TEST(CamerasReload, DeclaredSourcesAddedAndRemovedLive)
{
	std::string dir = makeTempDir("camsvc-cameras-reload");
	std::string file = dir + "/service.properties";
	std::ofstream(file) << "cameras.sources.a.url = testsrc://?size=320x240&rate=5\n";
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras"};
	o.defines = {{"cameras.v4l2.enabled", "false"}};
	o.extraArgs = {"--config=" + file};
	ServerProcess server(o);
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.subscribe({"camera_status_update"});
	EXPECT_EQ(cameraNames(client), (std::set<std::string>{"camera100"}));

	std::ofstream(file) << "cameras.sources.a.url = testsrc://?size=320x240&rate=5\n"
		"cameras.sources.b.url = testsrc://?size=320x240&rate=5\ncameras.sources.b.name = Yard\n";
	::kill(server.pid(), SIGHUP);
	auto added = waitForUpdate(client, "camera101", "CONNECTED");
	ASSERT_TRUE(added) << server.log();
	EXPECT_EQ(added->getValue<std::string>("name"), "Yard");
	EXPECT_EQ(cameraNames(client), (std::set<std::string>{"camera100", "camera101"}));

	std::ofstream(file) << "cameras.sources.b.url = testsrc://?size=320x240&rate=5\ncameras.sources.b.name = Yard\n";
	::kill(server.pid(), SIGHUP);
	ASSERT_TRUE(waitForUpdate(client, "camera100", "DISCONNECTED")) << server.log();
	EXPECT_EQ(cameraNames(client), (std::set<std::string>{"camera101"})) << "b keeps its name";
	removeTree(dir);
}
