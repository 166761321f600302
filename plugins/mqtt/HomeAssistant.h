//
// HomeAssistant.h
//
// Home Assistant MQTT discovery: the retained config messages that make a
// camera appear in Home Assistant as one device (via the service's device)
// with a camera entity (the snapshot topic), a connectivity binary_sensor,
// and, when mqtt.commands is on, a recording switch and a snapshot button.
// An empty retained config removes an entity again.
//

#ifndef CAMSVC_MQTT_HOMEASSISTANT_H
#define CAMSVC_MQTT_HOMEASSISTANT_H

#include "Topics.h"
#include <string>
#include <vector>

namespace camsvc::mqtt {

struct RetainedMessage
{
	std::string topic;
	std::string payload; // empty: clears the retained message
};

std::vector<RetainedMessage> serviceDiscovery(const Topics& topics, const std::string& serviceName);
	/// The service's own device (the via_device of every camera) with an
	/// "online" connectivity sensor on <prefix>/availability.

std::vector<RetainedMessage> cameraDiscovery(const Topics& topics, const std::string& camera, const std::string& label,
	bool commands);
	/// Every entity of one camera; with commands false the switch and button
	/// configs are empty (removed): without command topics they could not act.

std::vector<RetainedMessage> cameraDiscoveryRemoval(const Topics& topics, const std::string& camera);
	/// Empty configs for every entity of the camera.

} // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_HOMEASSISTANT_H
