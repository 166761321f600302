//
// MqttBrokerOutageTest.cpp
//
// What happens around the broker: the will says "offline" when the service
// is killed (and a clean stop says it too), a broker restart gets every
// retained topic back, stale cameras a previous run left on the broker are
// cleared, and with the broker down or stalled (SIGSTOP: connected, reading
// nothing) every RPC still answers while memory stays flat and the drops are
// counted.
//

#include "MqttServer.h"
#include "support/HttpClient.h"
#include "support/ProcessProbe.h"
#include "support/RpcClient.h"
#include "support/WaitUntil.h"
#include <Poco/JSON/Array.h>
#include <chrono>
#include <functional>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

double metric(int port, const std::string& name)
	/// A value from GET /metrics (Prometheus text); -1 when absent.
{
	auto [status, body] = httpRequest(port, "GET", "/metrics", testToken("admin"));
	std::size_t at = body.find("\n" + name + " ");
	if (status != 200 || at == std::string::npos)
		return -1;
	return std::stod(body.substr(at + name.size() + 2));
}

bool eventually(const std::function<bool()>& condition)
	/// The metrics are the only sign of the bridge's progress: polled, 10 s at most.
{
	return waitUntil(condition, 10000, 100);
}

bool waitForMetric(int port, const std::string& name, double atLeast)
{
	return eventually([&] { return metric(port, name) >= atLeast; });
}

bool waitForBridge(int port, double offered)
	/// Until the bridge has published or dropped offered notifications (the
	/// core's own queue may still hold some under load).
{
	return eventually([&] {
		return metric(port, "camsvc_mqtt_messages_dropped_total") + metric(port, "camsvc_mqtt_messages_published_total") >= offered;
	});
}

} // namespace

TEST(MqttBroker, WillSaysOfflineWhenTheServiceIsKilledAndCleanStopSaysItToo)
{
	MosquittoBroker broker;
	const std::string prefix = "camera-service/will";
	MqttSubscriber sub(broker.port(), {prefix + "/availability"});
	{
		ServerProcess server(mqttServerOptions(broker, prefix));
		ASSERT_TRUE(sub.waitForPayload(prefix + "/availability", "online")) << server.log();
		server.terminate(9);
		ASSERT_TRUE(sub.waitForPayload(prefix + "/availability", "offline")) << "the will, on SIGKILL";
	}
	ServerProcess server(mqttServerOptions(broker, prefix));
	ASSERT_TRUE(sub.waitFor([&](const MqttMessage& m) { return m.payload == "online" && !m.retained; }));
	auto isOffline = [](const MqttMessage& m) { return m.payload == "offline"; };
	std::size_t offlineBefore = 0; // the will's, from the SIGKILL above
	for (const auto& m: sub.messages())
		offlineBefore += isOffline(m);
	EXPECT_EQ(server.terminate(15), 0);
	EXPECT_TRUE(sub.waitForCount(isOffline, offlineBefore + 1, 10000)) << "a clean stop says offline itself";
	MqttSubscriber late(broker.port(), {prefix + "/availability"});
	auto retained = late.waitForTopic(prefix + "/availability");
	ASSERT_TRUE(retained);
	EXPECT_EQ(retained->payload, "offline") << "retained for whoever subscribes later";
}

TEST(MqttBroker, RestartedBrokerGetsEveryRetainedTopicBackAndStaleCamerasAreCleared)
{
	MosquittoBroker broker;
	const std::string prefix = "camera-service/restart";
	{
		// What a previous run with a third camera left behind.
		MqttSubscriber old(broker.port(), {prefix + "/camera/ghost/state"});
		old.publish(prefix + "/camera/ghost/state", "{\"stream_name\":\"ghost\",\"status\":\"CONNECTED\"}", true);
		ASSERT_TRUE(old.waitForTopic(prefix + "/camera/ghost/state"));
	}
	{
		MqttSubscriber sub(broker.port(), {prefix + "/camera/ghost/state"});
		ServerProcess server(mqttServerOptions(broker, prefix));
		EXPECT_TRUE(sub.waitForPayload(prefix + "/camera/ghost/state", "")) << "cleared: not in get_camera_list";
	}
	ServerProcess server(mqttServerOptions(broker, prefix));

	broker.stop();
	broker.start(); // no persistence: every retained message is gone
	MqttSubscriber sub(broker.port(), {prefix + "/#", "homeassistant/#"});
	EXPECT_TRUE(sub.waitForPayload(prefix + "/availability", "online", 15000)) << server.log();
	for (const char* camera: {"camera0", "camera1"})
	{
		auto state = sub.waitForTopic(prefix + "/camera/" + camera + "/state");
		ASSERT_TRUE(state) << camera;
		EXPECT_EQ(jsonObject(state->payload)->getValue<std::string>("stream_name"), camera);
		EXPECT_TRUE(sub.waitForTopic(prefix + "/camera/" + camera + "/recording")) << camera;
		EXPECT_TRUE(sub.waitFor([&](const MqttMessage& m) {
			return m.topic.find(std::string("_") + camera + "_snapshot/config") != std::string::npos && !m.payload.empty();
		})) << "discovery again";
	}
	for (const auto& m: sub.messages())
		EXPECT_EQ(m.topic.find("ghost"), std::string::npos) << m.topic << " [" << m.payload << "] retained " << m.retained;
}

TEST(MqttBroker, DownBrokerNeverBlocksAnRpcAndMemoryStaysFlat)
{
	MqttRig rig("camera-service/down", {{"mqtt.queue_limit", "100"}});
	MosquittoBroker& broker = rig.broker;
	ServerProcess& server = rig.server;
	const std::string& prefix = rig.prefix;
	broker.stop();
	RpcClient c(server.port());
	c.authenticateAs("admin");
	c.subscribe({"test_other"}); // the flood is for the bridge, not this client
	auto burst = [&] {
		// Paced so the core's own event queue stays short (a burst would be
		// dropped there, before the bridge sees it, and its peak would show
		// in the resident memory): 1,500 of 8 KB each.
		c.result("test.publish", RpcClient::params({{"count", 1500}, {"size", 8000}, {"rate", 1000}}), 30000);
		for (int i = 0; i < 20; ++i)
		{
			auto started = std::chrono::steady_clock::now();
			EXPECT_EQ(c.errorCode("get_camera_list"), 0);
			EXPECT_EQ(c.errorCode("ping"), 0);
			EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500)) << "an RPC waited";
		}
	};
	burst();
	ASSERT_TRUE(waitForBridge(server.port(), 1500));
	long first = residentKiB(server.pid());
	burst();
	burst();
	ASSERT_TRUE(waitForBridge(server.port(), 4500));
	long last = residentKiB(server.pid());
	EXPECT_LT(last - first, 16 * 1024) << "resident memory grew from " << first << " to " << last << " KiB";
	EXPECT_TRUE(waitForMetric(server.port(), "camsvc_mqtt_messages_dropped_total", 4500)) << "every one dropped and counted";
	EXPECT_EQ(metric(server.port(), "camsvc_mqtt_connected"), 0);
	Object::Ptr status = c.result("get_status").extract<Object::Ptr>();
	EXPECT_NE(status->getObject("component_details")->getObject("mqtt")->getValue<std::string>("status"), "healthy");

	broker.start();
	MqttSubscriber sub(broker.port(), {prefix + "/availability"});
	EXPECT_TRUE(sub.waitForPayload(prefix + "/availability", "online", 15000)) << "reconnected";
}

TEST(MqttBroker, StalledBrokerHoldsAtMostTheQueueBudgetAndNothingWaitsNotEvenShutdown)
{
	// SIGSTOP: the connection stays up but nothing is read or acknowledged,
	// the worst case for a publisher; the bridge keeps at most
	// mqtt.queue_bytes in the connection and drops the rest.
	MqttRig rig("camera-service/stalled", {{"mqtt.queue_bytes", "4194304"}, {"mqtt.snapshot_max_bytes", "1048576"}});
	ServerProcess& server = rig.server;
	ASSERT_EQ(::kill(rig.broker.pid(), SIGSTOP), 0);
	RpcClient c(server.port());
	c.authenticateAs("admin");
	c.subscribe({"test_other"});
	std::vector<long> resident;
	for (int round = 0; round < 3; ++round)
	{
		c.result("test.publish", RpcClient::params({{"count", 1500}, {"size", 8000}, {"rate", 1000}}), 30000);
		auto started = std::chrono::steady_clock::now();
		EXPECT_EQ(c.errorCode("get_camera_list"), 0);
		EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500)) << "an RPC waited";
		ASSERT_TRUE(waitForBridge(server.port(), 1500.0 * (round + 1)));
		resident.push_back(residentKiB(server.pid()));
	}
	EXPECT_LT(resident[2] - resident[0], 16 * 1024) << "resident memory grew from " << resident[0] << " to " << resident[2] << " KiB";
	EXPECT_TRUE(waitForMetric(server.port(), "camsvc_mqtt_messages_dropped_total", 3000)) << "most of 4,500 x 8 KB dropped";
	auto stopping = std::chrono::steady_clock::now();
	EXPECT_EQ(server.terminate(15, 10000), 0) << "a clean stop, though the broker takes nothing";
	EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(6));
	ASSERT_EQ(::kill(rig.broker.pid(), SIGCONT), 0);
}
