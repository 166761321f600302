//
// Topics.cpp
//

#include "events/Topics.h"

namespace camsvc::core {

const std::map<std::string, TopicAlias>& topicAliases()
{
	static const std::map<std::string, TopicAlias> aliases = {
		{"camera.connected", {"camera_status_update", "status", "CONNECTED"}},
		{"camera.disconnected", {"camera_status_update", "status", "DISCONNECTED"}},
		{"camera.status_change", {"camera_status_update", nullptr, nullptr}},
		{"recording.start", {"recording_status_update", "status", "STARTED"}},
		{"recording.stop", {"recording_status_update", "status", "STOPPED"}},
		{"recording.error", {"recording_status_update", "status", "ERROR"}},
		{"snapshot.taken", {"snapshot_taken", nullptr, nullptr}},
		{"system.startup", {"system_status_update", "event", "startup"}},
		{"system.health", {"system_status_update", "event", "health"}},
		{"system.shutdown", {"system_status_update", "event", "shutdown"}},
	};
	return aliases;
}

std::vector<std::string> topicsOf(const std::string& notification, const Poco::JSON::Object::Ptr& params)
{
	std::vector<std::string> topics{notification};
	for (const auto& [topic, alias]: topicAliases())
	{
		if (notification != alias.notification)
			continue;
		if (!alias.field || (params && params->has(alias.field) && params->get(alias.field).toString() == alias.value))
			topics.push_back(topic);
	}
	return topics;
}

} // namespace camsvc::core
