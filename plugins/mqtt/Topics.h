//
// Topics.h
//
// The topic names the plugin publishes and listens on, all under
// mqtt.topic_prefix (docs/mqtt.md lists them), and the Home Assistant
// discovery config topics under mqtt.homeassistant.prefix.
//

#ifndef CAMSVC_MQTT_TOPICS_H
#define CAMSVC_MQTT_TOPICS_H

#include <string>
#include <vector>

namespace camsvc::mqtt {

class Topics
{
public:
	Topics(std::string prefix, std::string discoveryPrefix, std::string nodeId);

	const std::string& prefix() const { return _prefix; }
	const std::string& nodeId() const { return _nodeId; }

	std::string availability() const { return _prefix + "/availability"; }
	std::string events() const { return _prefix + "/events"; }
	std::string camera(const std::string& name, const std::string& leaf) const
		/// <prefix>/camera/<name>/<leaf>: leaf "state", "recording", "snapshot",
		/// "snapshot/set", "recording/result", ...
	{
		return _prefix + "/camera/" + name + "/" + leaf;
	}
	std::string commandPattern() const { return _prefix + "/camera/+/+/set"; }
	std::string statePattern() const { return _prefix + "/camera/+/state"; }

	bool parseCamera(const std::string& topic, std::string& name, std::string& leaf) const;
		/// The inverse of camera(): true for <prefix>/camera/<name>/<leaf>.

	std::string discovery(const std::string& component, const std::string& objectId) const
		/// <discovery prefix>/<component>/<node id>/<object id>/config.
	{
		return _discoveryPrefix + "/" + component + "/" + _nodeId + "/" + objectId + "/config";
	}

private:
	std::string _prefix;
	std::string _discoveryPrefix;
	std::string _nodeId;
};

} // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_TOPICS_H
