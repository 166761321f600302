//
// MqttPlugin.cpp
//
// Fleet events and Home Assistant over MQTT: the bridge between the
// service's notifications and methods and an MQTT broker. Off by default
// (add "mqtt" to plugins.enabled); written against the public SDK only.
//

#include "MqttBridge.h"
#include "camsvc/sdk/Plugin.h"

namespace camsvc::mqtt {

using namespace camsvc::sdk;

class MqttPlugin: public Plugin
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		MqttSettings::declare(schema);
	}

	void load(Host& host) override
	{
		MqttSettings settings = MqttSettings::fromConfig(host.config());
		BridgeMetrics metrics{
			host.counter("mqtt_messages_published_total", "MQTT messages handed to the broker connection"),
			host.counter("mqtt_messages_dropped_total", "Notifications or MQTT messages not published (queue full, broker down, snapshot too big)"),
			host.counter("mqtt_commands_total", "Commands received over MQTT"),
			host.counter("mqtt_commands_failed_total", "Commands over MQTT answered with an error"),
			host.gauge("mqtt_connected", "1 while connected to the MQTT broker")};
		std::string address = settings.brokerAddress();
		std::string prefix = settings.topicPrefix;
		_bridge = std::make_unique<MqttBridge>(host, std::move(settings), metrics);
		host.listenToNotifications([this](const std::string& name, const Poco::JSON::Object::Ptr& params) {
			_bridge->onNotification(name, params);
		});
		host.logger().information("MQTT bridge to %s under %s", address, prefix);
	}

	void start() override { _bridge->start(); }
	void stop() override { _bridge->stop(); }

private:
	std::unique_ptr<MqttBridge> _bridge;
};

} // namespace camsvc::mqtt

CAMSVC_PLUGIN(camsvc::mqtt::MqttPlugin, "mqtt", "1.0.0", "MQTT: fleet events, retained camera state and Home Assistant discovery")
