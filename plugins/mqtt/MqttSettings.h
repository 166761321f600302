//
// MqttSettings.h
//
// The mqtt.* configuration keys, read and checked once in load(): a bad
// value stops the plugin with one clear log line instead of a half-working
// bridge. Defaults and meanings are in etc/camera-service.properties and
// docs/mqtt.md.
//

#ifndef CAMSVC_MQTT_MQTTSETTINGS_H
#define CAMSVC_MQTT_MQTTSETTINGS_H

#include "camsvc/sdk/Role.h"
#include <camsvc/sdk/Config.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <cstddef>
#include <string>

namespace camsvc::mqtt {

struct MqttSettings
{
	// Broker
	std::string host = "localhost";
	int port = 1883;
	bool tls = false;              // mqtts://
	std::string username;
	std::string password;          // never logged
	std::string caFile;            // mqtt.tls.ca_file; empty: the system's CA directory
	std::string certificate;       // mqtt.tls.certificate (client certificate, PEM)
	std::string privateKey;        // mqtt.tls.private_key
	std::string clientId;
	int protocol = 4;              // 4 = MQTT 3.1.1, 5 = MQTT 5
	int keepAliveSeconds = 30;
	int reconnectMinSeconds = 1;
	int reconnectMaxSeconds = 30;
	int qos = 1;

	// What is published
	std::string topicPrefix;       // without a trailing '/'
	bool events = true;            // <prefix>/events
	std::size_t queueLimit = 1000;
	std::size_t queueBytes = 16u << 20;
	std::size_t snapshotMaxBytes = 4u << 20;
	bool commands = false;
	sdk::Role commandRole = sdk::Role::Operator;
	bool homeAssistant = false;
	std::string discoveryPrefix = "homeassistant";
	std::string nodeId;            // the service's id in discovery: [a-zA-Z0-9_-]

	static MqttSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// Throws std::invalid_argument naming the key of a bad value.
	static void declare(sdk::ConfigSchema& schema);
		/// Every mqtt.* key fromConfig() reads, with its bounds.

	std::string brokerAddress() const;
		/// "mqtt://host:port" or "mqtts://host:port", for log lines (no credentials).
};

bool validTopicLevel(const std::string& level);
	/// Non-empty, no '/', '+', '#' or control characters: one level of a topic name.

} // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_MQTTSETTINGS_H
