//
// MqttServerTest.cpp
//
// The mqtt plugin in the running server against a real Mosquitto: retained
// availability and camera state that match get_camera_list, snapshot bytes
// that decode as the camera's JPEG, Home Assistant discovery configs, broker
// commands run with mqtt.command_role (and refused without it), and 1,000
// notifications a second delivered without loss.
//

#include "MediaCheck.h"
#include "MqttServer.h"
#include "support/RpcClient.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>

using namespace camsvc::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

const std::string Prefix = "camera-service/suite";

std::string condensed(const Object::Ptr& o)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(o, out);
	return out.str();
}

class MqttServer: public ::testing::Test
{
protected:
	static void SetUpTestSuite()
	{
		_broker = new MosquittoBroker;
		_server = new ServerProcess(mqttServerOptions(*_broker, Prefix));
		// Ready for HTTP is not yet published: wait for the last message of
		// the first connect's round, so the tests' subscribers see retained ones.
		MqttSubscriber sub(_broker->port(), {"homeassistant/#"});
		if (!sub.waitFor([](const MqttMessage& m) { return m.topic.find("_camera1_take_snapshot/config") != std::string::npos; }))
			throw std::runtime_error("the bridge never published its state:\n" + _server->log());
	}
	static void TearDownTestSuite()
	{
		delete _server;
		delete _broker;
	}
	static ServerProcess& server() { return *_server; }
	static MosquittoBroker& broker() { return *_broker; }

	std::unique_ptr<RpcClient> client(const std::string& role = "operator")
	{
		auto c = std::make_unique<RpcClient>(server().port());
		c->authenticateAs(role);
		return c;
	}

	static MosquittoBroker* _broker;
	static ServerProcess* _server;
};

MosquittoBroker* MqttServer::_broker = nullptr;
ServerProcess* MqttServer::_server = nullptr;

} // namespace

TEST_F(MqttServer, RetainedAvailabilityAndCameraStateMatchGetCameraList)
{
	MqttSubscriber sub(broker().port(), {Prefix + "/#"});
	auto online = sub.waitForPayload(Prefix + "/availability", "online");
	ASSERT_TRUE(online) << server().log();
	EXPECT_TRUE(online->retained);

	Object::Ptr list = client()->result("get_camera_list").extract<Object::Ptr>();
	ASSERT_EQ(list->getArray("cameras")->size(), 2u);
	for (const auto& entry: *list->getArray("cameras"))
	{
		Object::Ptr camera = entry.extract<Object::Ptr>();
		std::string name = camera->getValue<std::string>("stream_name");
		auto state = sub.waitForTopic(Prefix + "/camera/" + name + "/state");
		ASSERT_TRUE(state) << name;
		EXPECT_TRUE(state->retained);
		EXPECT_EQ(condensed(jsonObject(state->payload)), condensed(camera)) << "the camera_status_update shape of get_camera_list";

		auto recording = sub.waitForTopic(Prefix + "/camera/" + name + "/recording");
		ASSERT_TRUE(recording) << name;
		EXPECT_TRUE(recording->retained);
		EXPECT_EQ(jsonObject(recording->payload)->getValue<std::string>("device"), camera->getValue<std::string>("device"));
	}
}

TEST_F(MqttServer, SnapshotBytesArriveAndDecodeAsTheCamerasJpeg)
{
	MqttSubscriber sub(broker().port(), {Prefix + "/camera/camera0/snapshot"});
	Object::Ptr taken = client()->result("take_snapshot", RpcClient::params({{"device", "camera0"}}), 15000).extract<Object::Ptr>();
	std::string file = readFileBytes(taken->getValue<std::string>("file_path"));
	auto snapshot = sub.waitFor([&](const MqttMessage& m) { return m.payload == file; });
	ASSERT_TRUE(snapshot) << "the new snapshot's bytes on the snapshot topic";
	MqttSubscriber late(broker().port(), {Prefix + "/camera/camera0/snapshot"});
	auto retained = late.waitForTopic(Prefix + "/camera/camera0/snapshot");
	ASSERT_TRUE(retained);
	EXPECT_TRUE(retained->retained && retained->payload == file) << "Home Assistant's camera shows the last one";

	std::string copy = makeTempDir("mqtt-snapshot") + "/received.jpg";
	std::ofstream(copy, std::ios::binary) << snapshot->payload;
	MediaSummary m = decodeMedia(copy);
	EXPECT_EQ(m.codec, "mjpeg");
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.height, 240);
	EXPECT_EQ(m.frames, 1);
	removeTree(std::filesystem::path(copy).parent_path().string());
}

TEST_F(MqttServer, DiscoveryConfigsAreValidJsonWithTheDocumentedKeys)
{
	const std::string node = "node_" + std::to_string(broker().port());
	MqttSubscriber sub(broker().port(), {"homeassistant/+/" + node + "/+/config"});
	auto config = [&](const std::string& component, const std::string& object) {
		auto m = sub.waitForTopic("homeassistant/" + component + "/" + node + "/" + node + "_" + object + "/config");
		EXPECT_TRUE(m) << component << " " << object;
		if (!m)
			return Object::Ptr();
		EXPECT_TRUE(m->retained);
		Object::Ptr o = jsonObject(m->payload);
		for (const char* key: {"name", "unique_id", "device"})
			EXPECT_TRUE(o->has(key)) << component << " lacks " << key;
		return o;
	};

	Object::Ptr service = config("binary_sensor", "online");
	ASSERT_TRUE(service);
	EXPECT_EQ(service->getValue<std::string>("state_topic"), Prefix + "/availability");
	EXPECT_EQ(service->getObject("device")->getArray("identifiers")->getElement<std::string>(0), node);

	Object::Ptr camera = config("camera", "camera0_snapshot");
	ASSERT_TRUE(camera);
	EXPECT_EQ(camera->getValue<std::string>("topic"), Prefix + "/camera/camera0/snapshot");
	EXPECT_EQ(camera->getValue<std::string>("availability_topic"), Prefix + "/availability");
	Object::Ptr device = camera->getObject("device");
	EXPECT_EQ(device->getValue<std::string>("via_device"), node) << "grouped under the service";
	EXPECT_EQ(device->getArray("identifiers")->getElement<std::string>(0), node + "_camera0");

	Object::Ptr connected = config("binary_sensor", "camera0_connected");
	ASSERT_TRUE(connected);
	EXPECT_EQ(connected->getValue<std::string>("state_topic"), Prefix + "/camera/camera0/state");
	EXPECT_EQ(connected->getValue<std::string>("device_class"), "connectivity");
	EXPECT_NE(connected->getValue<std::string>("value_template").find("CONNECTED"), std::string::npos);

	Object::Ptr recording = config("switch", "camera0_recording");
	ASSERT_TRUE(recording);
	EXPECT_EQ(recording->getValue<std::string>("command_topic"), Prefix + "/camera/camera0/recording/set");
	EXPECT_EQ(recording->getValue<std::string>("state_topic"), Prefix + "/camera/camera0/recording");

	Object::Ptr button = config("button", "camera0_take_snapshot");
	ASSERT_TRUE(button);
	EXPECT_EQ(button->getValue<std::string>("command_topic"), Prefix + "/camera/camera0/snapshot/set");
	for (const auto& o: {camera, connected, recording, button})
		EXPECT_EQ(condensed(o->getObject("device")), condensed(device)) << "one device per camera";
}

TEST_F(MqttServer, CommandsRunWithTheCommandRoleAndAnswerOnResult)
{
	MqttSubscriber sub(broker().port(), {Prefix + "/camera/camera1/#"});
	sub.publish(Prefix + "/camera/camera1/snapshot/set", "PRESS");
	auto snap = sub.waitForTopic(Prefix + "/camera/camera1/snapshot/result", 15000);
	ASSERT_TRUE(snap) << server().log();
	Object::Ptr answer = jsonObject(snap->payload);
	EXPECT_EQ(answer->getValue<std::string>("method"), "take_snapshot");
	ASSERT_TRUE(answer->has("result")) << snap->payload;
	EXPECT_EQ(answer->getObject("result")->getValue<std::string>("status"), "completed");

	auto recordingIs = [&](const std::string& status) {
		return sub.waitFor([&](const MqttMessage& m) {
			return m.topic == Prefix + "/camera/camera1/recording" && !m.payload.empty() &&
				jsonObject(m.payload)->getValue<std::string>("status") == status;
		}, 15000);
	};
	sub.publish(Prefix + "/camera/camera1/recording/set", "ON");
	auto started = sub.waitForTopic(Prefix + "/camera/camera1/recording/result", 15000);
	ASSERT_TRUE(started);
	EXPECT_EQ(jsonObject(started->payload)->getObject("result")->getValue<std::string>("status"), "STARTED") << started->payload;
	EXPECT_TRUE(recordingIs("STARTED")) << "the retained recording state follows";

	sub.publish(Prefix + "/camera/camera1/recording/set", "OFF");
	auto stopped = sub.waitFor([&](const MqttMessage& m) {
		return m.topic == Prefix + "/camera/camera1/recording/result" && m.payload.find("\"stop_recording\"") != std::string::npos;
	}, 15000);
	ASSERT_TRUE(stopped);
	EXPECT_EQ(jsonObject(stopped->payload)->getObject("result")->getValue<std::string>("status"), "STOPPED") << stopped->payload;
	EXPECT_TRUE(sub.waitFor([&](const MqttMessage& m) {
		return m.topic == Prefix + "/camera/camera1/recording" && m.payload.find("\"filename\"") != std::string::npos &&
			jsonObject(m.payload)->getValue<std::string>("status") == "STOPPED";
	})) << "the retained recording state follows";

	sub.publish(Prefix + "/camera/camera1/recording/set", "MAYBE");
	auto refused = sub.waitFor([&](const MqttMessage& m) {
		return m.topic == Prefix + "/camera/camera1/recording/result" && m.payload.find("-32602") != std::string::npos;
	});
	ASSERT_TRUE(refused) << "a payload other than ON/OFF is -32602";
	EXPECT_EQ(jsonObject(refused->payload)->getObject("error")->getObject("data")->getValue<std::string>("param"), "payload");
}

TEST_F(MqttServer, ThousandNotificationsASecondArriveWithoutLossInOrder)
{
	MqttSubscriber sub(broker().port(), {Prefix + "/events"});
	const int count = 2000;
	auto c = client();
	EXPECT_EQ(c->result("test.publish", RpcClient::params({{"count", count}, {"rate", 1000}}), 15000).convert<int>(), count);
	auto isTest = [](const MqttMessage& m) { return m.payload.find("\"method\":\"test_event\"") != std::string::npos; };
	ASSERT_TRUE(sub.waitForCount(isTest, count, 10000));
	int expected = 0;
	for (const auto& m: sub.messages())
	{
		if (!isTest(m))
			continue;
		Object::Ptr event = jsonObject(m.payload);
		EXPECT_EQ(event->getObject("params")->getValue<int>("n"), expected) << "lost or reordered";
		++expected;
	}
	EXPECT_EQ(expected, count);
}

TEST(MqttCommands, CallsBeyondTheCommandRoleAreRefusedWithMinus32003)
{
	MqttRig rig("camera-service/viewer-only", {{"mqtt.command_role", "viewer"}});
	const std::string& prefix = rig.prefix;
	MqttSubscriber sub(rig.broker.port(), {prefix + "/#"});
	sub.publish(prefix + "/camera/camera0/snapshot/set", "PRESS");
	auto result = sub.waitForTopic(prefix + "/camera/camera0/snapshot/result");
	ASSERT_TRUE(result) << rig.server.log();
	Object::Ptr error = jsonObject(result->payload)->getObject("error");
	ASSERT_TRUE(error) << result->payload;
	EXPECT_EQ(error->getValue<int>("code"), -32003);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("required_role"), "operator");
	EXPECT_TRUE(std::filesystem::is_empty(rig.server.stateDir() + "/snapshots")) << "nothing was taken";
}

TEST(MqttCommands, AreIgnoredUnlessEnabled)
{
	MqttRig rig("camera-service/no-commands", {{"mqtt.commands", "false"}});
	const std::string& prefix = rig.prefix;
	MqttSubscriber sub(rig.broker.port(), {prefix + "/#", "homeassistant/#"});
	ASSERT_TRUE(sub.waitForTopic(prefix + "/camera/camera0/state"));
	sub.publish(prefix + "/camera/camera0/snapshot/set", "PRESS");
	// Waiting for something not to happen needs a deadline: the service
	// answers a command it takes within milliseconds.
	EXPECT_FALSE(sub.waitForTopic(prefix + "/camera/camera0/snapshot/result", 1000));
	EXPECT_TRUE(std::filesystem::is_empty(rig.server.stateDir() + "/snapshots"));
	ASSERT_TRUE(sub.waitFor([](const MqttMessage& m) { return m.topic.rfind("homeassistant/camera/", 0) == 0; }))
		<< "the camera entity is there";
	for (const auto& m: sub.messages())
	{
		if (m.topic.find("/switch/") != std::string::npos || m.topic.find("/button/") != std::string::npos)
		{
			EXPECT_TRUE(m.payload.empty()) << m.topic << ": no command entities without commands";
		}
	}
}
