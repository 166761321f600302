//
// HomeAssistantTest.cpp
//
// Discovery payloads: valid JSON, one device per camera via the service's
// device, command entities only with commands, and removal by empty configs.
//

#include "HomeAssistant.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace camsvc::mqtt;
using Poco::JSON::Object;

namespace {

Object::Ptr parse(const std::string& text)
{
	return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

} // namespace

TEST(HomeAssistantDiscovery, EveryCameraEntityIsOneDeviceViaTheService)
{
	Topics t("camera-service/box1", "homeassistant", "camsvc_box1");
	auto messages = cameraDiscovery(t, "camera0", "Camera 0", true);
	ASSERT_EQ(messages.size(), 4u);
	for (const auto& m: messages)
	{
		ASSERT_FALSE(m.payload.empty()) << m.topic;
		Object::Ptr o = parse(m.payload);
		EXPECT_EQ(o->getObject("device")->getValue<std::string>("via_device"), "camsvc_box1");
		EXPECT_EQ(o->getObject("device")->getValue<std::string>("name"), "Camera 0");
		EXPECT_EQ(o->getValue<std::string>("availability_topic"), "camera-service/box1/availability");
		EXPECT_EQ(m.topic.rfind("homeassistant/", 0), 0u);
		EXPECT_NE(m.topic.find(o->getValue<std::string>("unique_id")), std::string::npos) << "object id = unique id";
	}
	auto service = serviceDiscovery(t, "camera-service box1");
	ASSERT_EQ(service.size(), 1u);
	EXPECT_EQ(parse(service[0].payload)->getObject("device")->getArray("identifiers")->getElement<std::string>(0), "camsvc_box1");
}

TEST(HomeAssistantDiscovery, WithoutCommandsTheSwitchAndButtonAreRemoved)
{
	Topics t("p", "homeassistant", "n");
	int empty = 0;
	for (const auto& m: cameraDiscovery(t, "camera0", "", false))
		if (m.payload.empty())
		{
			++empty;
			EXPECT_TRUE(m.topic.find("/switch/") != std::string::npos || m.topic.find("/button/") != std::string::npos) << m.topic;
		}
	EXPECT_EQ(empty, 2);
	auto removal = cameraDiscoveryRemoval(t, "camera0");
	ASSERT_EQ(removal.size(), 4u);
	auto configs = cameraDiscovery(t, "camera0", "", true);
	for (std::size_t i = 0; i < removal.size(); ++i)
	{
		EXPECT_EQ(removal[i].topic, configs[i].topic);
		EXPECT_TRUE(removal[i].payload.empty());
	}
}
