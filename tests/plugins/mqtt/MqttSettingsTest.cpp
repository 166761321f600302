//
// MqttSettingsTest.cpp
//
// The mqtt.* keys: defaults, both URL schemes, and every bad value refused
// with the key named, before the plugin connects anywhere.
//

#include "MqttSettings.h"
#include "Topics.h"
#include <Poco/AutoPtr.h>
#include <Poco/Environment.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

using camsvc::mqtt::MqttSettings;
using camsvc::mqtt::Topics;

namespace {

MqttSettings settings(std::initializer_list<std::pair<std::string, std::string>> values)
{
	Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
	for (const auto& [k, v]: values)
		config->setString(k, v);
	return MqttSettings::fromConfig(*config);
}

std::string refusal(std::initializer_list<std::pair<std::string, std::string>> values)
{
	try
	{
		settings(values);
	}
	catch (const std::invalid_argument& e)
	{
		return e.what();
	}
	return "accepted";
}

} // namespace

TEST(MqttSettings, DefaultsArePlainMqttOnLocalhostUnderTheHostName)
{
	MqttSettings s = settings({});
	EXPECT_EQ(s.brokerAddress(), "mqtt://localhost:1883");
	EXPECT_EQ(s.topicPrefix, "camera-service/" + Poco::Environment::nodeName());
	EXPECT_FALSE(s.commands) << "commands are off unless asked for";
	EXPECT_EQ(s.commandRole, camsvc::sdk::Role::Operator);
	EXPECT_FALSE(s.homeAssistant);
	EXPECT_EQ(s.discoveryPrefix, "homeassistant");
	EXPECT_EQ(s.qos, 1);
	EXPECT_EQ(s.queueLimit, 1000u);
	EXPECT_EQ(s.protocol, 4);
}

TEST(MqttSettings, MqttsDefaultsToPort8883AndTakesClientCertificates)
{
	MqttSettings s = settings({{"mqtt.url", "mqtts://broker.example"}, {"mqtt.tls.certificate", "/c.pem"},
		{"mqtt.tls.private_key", "/k.pem"}, {"mqtt.username", "cam"}, {"mqtt.password", "secret"}, {"mqtt.protocol", "5"}});
	EXPECT_TRUE(s.tls);
	EXPECT_EQ(s.brokerAddress(), "mqtts://broker.example:8883");
	EXPECT_EQ(s.certificate, "/c.pem");
	EXPECT_EQ(s.protocol, 5);
	EXPECT_EQ(s.brokerAddress().find("secret"), std::string::npos) << "never in a log line";
	EXPECT_EQ(settings({{"mqtt.url", "mqtt://10.0.0.5:1999"}}).brokerAddress(), "mqtt://10.0.0.5:1999");
}

TEST(MqttSettings, BadValuesAreRefusedNamingTheKey)
{
	EXPECT_NE(refusal({{"mqtt.url", "http://broker"}}).find("mqtt.url"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.url", "mqtt://user:pw@broker"}}).find("mqtt.username"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.topic_prefix", "a/+/b"}}).find("mqtt.topic_prefix"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.topic_prefix", "a//b"}}).find("mqtt.topic_prefix"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.topic_prefix", "a/"}}).find("mqtt.topic_prefix"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.command_role", "root"}}).find("mqtt.command_role"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.tls.certificate", "/c.pem"}}).find("mqtt.tls"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.url", "mqtt://b"}, {"mqtt.tls.ca_file", "/ca.pem"}}).find("mqtts://"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.protocol", "3"}}).find("mqtt.protocol"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.queue_limit", "0"}}).find("mqtt.queue_limit"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.qos", "2"}}).find("mqtt.qos"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.password", "x"}}).find("mqtt.username"), std::string::npos);
	EXPECT_NE(refusal({{"mqtt.queue_bytes", "1000000"}, {"mqtt.snapshot_max_bytes", "2000000"}}).find("mqtt.snapshot_max_bytes"),
		std::string::npos) << "a snapshot must fit the connection's budget";
}

TEST(MqttTopics, CameraTopicsParseBackAndStayUnderThePrefix)
{
	Topics t("camera-service/box1", "homeassistant", "camsvc_box1");
	EXPECT_EQ(t.camera("camera0", "state"), "camera-service/box1/camera/camera0/state");
	std::string name, leaf;
	ASSERT_TRUE(t.parseCamera("camera-service/box1/camera/camera0/recording/set", name, leaf));
	EXPECT_EQ(name, "camera0");
	EXPECT_EQ(leaf, "recording/set");
	EXPECT_FALSE(t.parseCamera("camera-service/box2/camera/camera0/state", name, leaf));
	EXPECT_FALSE(t.parseCamera("camera-service/box1/camera/camera0", name, leaf));
	EXPECT_FALSE(t.parseCamera("camera-service/box1/camera//state", name, leaf));
	EXPECT_EQ(t.discovery("switch", "camsvc_box1_camera0_recording"), "homeassistant/switch/camsvc_box1/camsvc_box1_camera0_recording/config");
}
