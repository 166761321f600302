//
// PluginManagerTest.cpp
//
// The plugin host with real shared libraries: compatible plugins load and
// start in dependency order; incompatible or failing ones are skipped
// (with their dependents) and leave nothing registered behind. The SDK 2.1
// hooks of a plugin's Host: listening to every notification, and calling a
// method as an identity through the core's role and param checks.
//

#include "events/EventBus.h"
#include "http/RouteRegistry.h"
#include "metrics/MetricsRegistry.h"
#include "plugin/PluginContext.h"
#include "plugin/PluginManager.h"
#include "rpc/MethodRegistry.h"
#include "services/FeatureRegistry.h"
#include "services/HealthRegistry.h"
#include "services/ServiceRegistry.h"
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>
#include <condition_variable>
#include <mutex>

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
		host{*config, "/tmp", methods, routes, services, events, health, pluginMetrics, webSockets, engine, features},
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
	FeatureRegistry features;
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

// A plugin built with older headers: tests/sdk/FrozenSdkTest.cpp (compiled against the frozen 2.0 copy).

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

camsvc::sdk::Identity identityOf(camsvc::sdk::Role role, int ttlSeconds = 60)
{
	camsvc::sdk::Identity id;
	id.userId = "bridge";
	id.method = "plugin";
	id.role = role;
	id.expiresAt = Poco::Timestamp() + Poco::Timespan(ttlSeconds, 0);
	return id;
}

int callError(PluginContext& host, const std::string& method, Poco::JSON::Object::Ptr params, const camsvc::sdk::Identity& id)
{
	try
	{
		host.call(method, params, id);
	}
	catch (const camsvc::sdk::RpcError& e)
	{
		return e.code();
	}
	return 0;
}

TEST_F(PluginManagerTest, HostCallChecksRoleParamsAndExpiryLikeAClient)
{
	PluginContext host("caller", this->host);
	host.setLoading(true);
	camsvc::sdk::MethodSpec spec;
	spec.name = "caller.control";
	spec.minRole = camsvc::sdk::Role::Operator;
	spec.params = {camsvc::sdk::ParamSpec("device", camsvc::sdk::ParamType::String, true)};
	host.registerMethod(spec, [](const Poco::JSON::Object::Ptr& p, const camsvc::sdk::CallContext& ctx) {
		return Poco::Dynamic::Var(p->getValue<std::string>("device") + " by " + ctx.identity.userId);
	});
	host.setLoading(false);
	Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
	params->set("device", "camera0");

	EXPECT_EQ(host.call("caller.control", params, identityOf(camsvc::sdk::Role::Operator)).toString(), "camera0 by bridge");
	EXPECT_EQ(callError(host, "caller.control", params, identityOf(camsvc::sdk::Role::Viewer)), -32003);
	EXPECT_EQ(callError(host, "caller.control", params, identityOf(camsvc::sdk::Role::Admin, -1)), -32001);
	EXPECT_EQ(callError(host, "caller.control", nullptr, identityOf(camsvc::sdk::Role::Admin)), -32602);
	EXPECT_EQ(callError(host, "caller.absent", params, identityOf(camsvc::sdk::Role::Admin)), -32601);
	EXPECT_EQ(methods.find("caller.control")->stats->calls.load(), 4u) << "counted like a client's calls";
}

TEST_F(PluginManagerTest, NotificationListenerSeesEveryPublishedNotificationInOrder)
{
	PluginContext publisher("publisher", host);
	PluginContext observer("observer", host);
	publisher.setLoading(true);
	publisher.declareNotification("publisher.tick", "a tick");
	observer.setLoading(true);
	std::mutex mutex;
	std::condition_variable seen;
	std::vector<std::pair<std::string, int>> received;
	observer.listenToNotifications([&](const std::string& name, const Poco::JSON::Object::Ptr& params) {
		std::lock_guard lock(mutex);
		received.emplace_back(name, params->has("n") ? params->getValue<int>("n") : -1);
		seen.notify_all();
	});
	publisher.setLoading(false);
	observer.setLoading(false);
	EXPECT_THROW(publisher.listenToNotifications([](const auto&, const auto&) {}), std::logic_error)
		<< "load() only";
	events.start();
	for (int i = 0; i < 100; ++i)
	{
		Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
		p->set("n", i);
		publisher.publish("publisher.tick", p);
	}
	publisher.publish("publisher.tick", nullptr);
	{
		std::unique_lock lock(mutex);
		ASSERT_TRUE(seen.wait_for(lock, std::chrono::seconds(5), [&] { return received.size() == 101; }));
		for (int i = 0; i < 100; ++i)
			EXPECT_EQ(received[static_cast<std::size_t>(i)], std::make_pair(std::string("publisher.tick"), i));
		EXPECT_EQ(received.back().second, -1) << "null params arrive as an empty object";
	}
	observer.unregisterAll(); // a failed plugin's listener goes with it
	publisher.publish("publisher.tick", nullptr);
	events.stop();
	std::lock_guard lock(mutex);
	EXPECT_EQ(received.size(), 101u);
}

} // namespace
