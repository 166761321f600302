//
// PluginManagerTest.cpp
//
// The plugin host with real shared libraries: compatible plugins load and
// start in dependency order; incompatible or failing ones are skipped
// (with their dependents) and leave nothing registered behind.
//

#include "events/EventBus.h"
#include "http/RouteRegistry.h"
#include "metrics/MetricsRegistry.h"
#include "plugin/PluginManager.h"
#include "rpc/MethodRegistry.h"
#include "services/HealthRegistry.h"
#include "services/ServiceRegistry.h"
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

using namespace camsvc::core;
using State = PluginManager::State;

namespace {

class PluginManagerTest: public ::testing::Test
{
protected:
	PluginManagerTest():
		auth(services),
		engine(methods, auth, metrics, Poco::Logger::get("test")),
		reactor(NetConfig(), metrics, Poco::Logger::get("test")),
		webSockets(reactor, engine, auth, metrics, Poco::Logger::get("test")),
		events(webSockets, metrics, Poco::Logger::get("test")),
		host{*config, "/tmp", methods, routes, services, events, health, pluginMetrics, webSockets},
		manager(host, Poco::Logger::get("test"))
	{
	}

	State stateOf(const std::string& name)
	{
		for (const auto& r: manager.records())
			if (r.name == name)
				return r.state;
		ADD_FAILURE() << "no record for " << name;
		return State::Rejected;
	}

	std::string errorOf(const std::string& name)
	{
		for (const auto& r: manager.records())
			if (r.name == name)
				return r.error;
		return {};
	}

	void run(const std::vector<std::string>& names)
	{
		manager.open(FIXTURE_PLUGIN_DIR, names);
		manager.loadAll();
		manager.startAll();
	}

	Poco::AutoPtr<Poco::Util::MapConfiguration> config{new Poco::Util::MapConfiguration};
	CoreMetrics metrics;
	MethodRegistry methods;
	RouteRegistry routes;
	ServiceRegistry services;
	HealthRegistry health;
	MetricsRegistry pluginMetrics;
	AuthGateway auth;
	RpcEngine engine;
	Reactor reactor;
	WebSocketServer webSockets;
	EventBus events;
	HostServices host;
	PluginManager manager;
};

TEST_F(PluginManagerTest, CompatiblePluginsStartInDependencyOrder)
{
	run({"dependent", "good"}); // listed before its dependency on purpose
	EXPECT_EQ(stateOf("good"), State::Started);
	EXPECT_EQ(stateOf("dependent"), State::Started);
	EXPECT_NE(methods.find("good.hello"), nullptr);
	EXPECT_NE(methods.find("dependent.hello"), nullptr);
	EXPECT_EQ(manager.records().front().name, "good");
}

TEST_F(PluginManagerTest, WrongSdkMajorIsRejected)
{
	run({"wrong_major", "good"});
	EXPECT_EQ(stateOf("wrong_major"), State::Rejected);
	EXPECT_NE(errorOf("wrong_major").find("SDK 2."), std::string::npos);
	EXPECT_EQ(methods.find("wrong_major.hello"), nullptr);
	EXPECT_EQ(stateOf("good"), State::Started);
}

TEST_F(PluginManagerTest, NewerSdkMinorIsRejected)
{
	run({"newer_minor"});
	EXPECT_EQ(stateOf("newer_minor"), State::Rejected);
}

TEST_F(PluginManagerTest, OlderSdkMinorStillLoads)
{
	run({"older_minor"}); // declares SDK 2.0 (minor 0): Host only grows at its end
	EXPECT_EQ(stateOf("older_minor"), State::Started);
	EXPECT_NE(methods.find("older_minor.hello"), nullptr);
}

TEST_F(PluginManagerTest, DifferentAbiFingerprintIsRejected)
{
	run({"bad_abi"});
	EXPECT_EQ(stateOf("bad_abi"), State::Rejected);
	EXPECT_NE(errorOf("bad_abi").find("ABI mismatch"), std::string::npos);
}

TEST_F(PluginManagerTest, LibraryWithoutEntryPointIsRejected)
{
	run({"no_entry"});
	EXPECT_EQ(stateOf("no_entry"), State::Rejected);
	EXPECT_NE(errorOf("no_entry").find("no entry point"), std::string::npos);
}

TEST_F(PluginManagerTest, MissingFileIsRejected)
{
	run({"does_not_exist"});
	EXPECT_EQ(stateOf("does_not_exist"), State::Rejected);
}

TEST_F(PluginManagerTest, PluginThatThrowsInLoadLeavesNothingRegistered)
{
	run({"throws_load", "on_failed", "good"});
	EXPECT_EQ(stateOf("throws_load"), State::Failed);
	EXPECT_EQ(methods.find("throws_load.hello"), nullptr);
	EXPECT_EQ(stateOf("on_failed"), State::Failed);
	EXPECT_EQ(methods.find("on_failed.hello"), nullptr);
	EXPECT_EQ(stateOf("good"), State::Started);
}

TEST_F(PluginManagerTest, PluginThatThrowsInStartIsUnregistered)
{
	run({"throws_start"});
	EXPECT_EQ(stateOf("throws_start"), State::Failed);
	EXPECT_EQ(methods.find("throws_start.hello"), nullptr);
}

TEST_F(PluginManagerTest, MissingDependencyIsRejected)
{
	run({"needs_missing", "dependent"});
	EXPECT_EQ(stateOf("needs_missing"), State::Rejected);
	EXPECT_NE(errorOf("needs_missing").find("absent"), std::string::npos);
	EXPECT_EQ(stateOf("dependent"), State::Rejected); // "good" is not enabled
}

TEST_F(PluginManagerTest, DependencyCycleIsRejected)
{
	run({"cycle_a", "cycle_b"});
	EXPECT_EQ(stateOf("cycle_a"), State::Rejected);
	EXPECT_EQ(stateOf("cycle_b"), State::Rejected);
}

TEST_F(PluginManagerTest, StopRunsInReverseOrder)
{
	run({"good", "dependent"});
	manager.stopAll();
	EXPECT_EQ(stateOf("good"), State::Stopped);
	EXPECT_EQ(stateOf("dependent"), State::Stopped);
}

} // namespace
