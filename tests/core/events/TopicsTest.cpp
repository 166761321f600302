//
// TopicsTest.cpp
//
// Dotted topics are filters over the seed's notifications.
//

#include "events/Topics.h"
#include <gtest/gtest.h>

using namespace camsvc::core;
using Poco::JSON::Object;

namespace {

Object::Ptr withStatus(const std::string& field, const std::string& value)
{
	Object::Ptr p = new Object;
	p->set(field, value);
	return p;
}

} // namespace

TEST(Topics, ANotificationMatchesItsNameAndItsDottedTopics)
{
	using V = std::vector<std::string>;
	EXPECT_EQ(topicsOf("camera_status_update", withStatus("status", "CONNECTED")),
		(V{"camera_status_update", "camera.connected", "camera.status_change"}));
	EXPECT_EQ(topicsOf("camera_status_update", withStatus("status", "ERROR")), (V{"camera_status_update", "camera.status_change"}));
	EXPECT_EQ(topicsOf("recording_status_update", withStatus("status", "STOPPED")), (V{"recording_status_update", "recording.stop"}));
	EXPECT_EQ(topicsOf("recording_status_update", withStatus("status", "ERROR")), (V{"recording_status_update", "recording.error"}));
	EXPECT_EQ(topicsOf("snapshot_taken", nullptr), (V{"snapshot_taken", "snapshot.taken"}));
	EXPECT_EQ(topicsOf("system_status_update", withStatus("event", "shutdown")), (V{"system_status_update", "system.shutdown"}));
	EXPECT_EQ(topicsOf("plugin.event", nullptr), (V{"plugin.event"}));
}

TEST(Topics, EveryTopicExistingClientsUseIsKnown)
{
	for (const char* topic: {"camera.connected", "camera.disconnected", "camera.status_change", "recording.start", "recording.stop",
		"recording.error", "snapshot.taken", "system.health", "system.startup", "system.shutdown"})
		EXPECT_TRUE(topicAliases().count(topic)) << topic;
}
