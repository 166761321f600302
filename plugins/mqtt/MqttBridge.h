//
// MqttBridge.h
//
// Turns the service's notifications into MQTT messages and MQTT commands
// into JSON-RPC calls:
//   <prefix>/availability               online (retained) / offline (will, clean stop)
//   <prefix>/camera/<name>/state        retained camera_status_update JSON
//   <prefix>/camera/<name>/recording    retained recording_status_update JSON
//   <prefix>/camera/<name>/snapshot     the newest snapshot's bytes (retained)
//   <prefix>/events                     every notification {"method", "params"}
//   <prefix>/camera/<name>/{snapshot,recording}/set -> .../result (mqtt.commands)
// plus Home Assistant discovery. The bridge keeps the retained state it
// published, so after every (re)connect it publishes all of it again, with
// the camera list from get_camera_list, and clears cameras the broker still
// remembers that the service no longer has.
//
// Threads: notifications are queued by the core's event thread
// (onNotification never blocks) and handled on the bridge's worker, which
// owns all state; commands run on a second worker (they may take seconds);
// libmosquitto's network thread only queues.
//

#ifndef CAMSVC_MQTT_MQTTBRIDGE_H
#define CAMSVC_MQTT_MQTTBRIDGE_H

#include "WorkQueue.h"
#include "MqttClient.h"
#include "MqttSettings.h"
#include "Topics.h"
#include "camsvc/sdk/Host.h"
#include <Poco/JSON/Object.h>
#include <map>
#include <memory>
#include <string>

namespace camsvc::mqtt {

struct BridgeMetrics
{
	sdk::Counter& published;      // messages handed to the client
	sdk::Counter& dropped;        // notifications or messages not published (queue full, broker down, too big)
	sdk::Counter& commands;       // commands executed
	sdk::Counter& commandsFailed; // commands answered with an error
	sdk::Gauge& connected;        // 1 while connected to the broker
};

class MqttBridge
{
public:
	static constexpr std::size_t CommandQueueLimit = 16;

	MqttBridge(sdk::Host& host, MqttSettings settings, BridgeMetrics metrics);
	~MqttBridge();

	void onNotification(const std::string& name, const Poco::JSON::Object::Ptr& params);
		/// Any thread; never blocks. Dropped (and counted) when mqtt.queue_limit
		/// notifications wait already.
	void start();
	void stop();
		/// Publishes "offline", disconnects, joins every thread.

private:
	struct Camera
	{
		std::string device;
		std::string label;
		std::string state;        // JSON payload of .../state
		std::string recording;    // JSON payload of .../recording
		std::string snapshotPath; // the newest snapshot's file
	};

	// Worker thread
	void handle(const std::string& name, const Poco::JSON::Object::Ptr& params);
	void republish();
	void publishCamera(const std::string& name, const Camera& camera);
	Camera* remember(const Poco::JSON::Object::Ptr& status, bool& added);
		/// Records a camera_status_update-shaped status; null for a name unusable in a topic.
	void updateCamera(const Poco::JSON::Object::Ptr& status);
	void removeCamera(const std::string& name);
	void clearCamera(const std::string& name);
	void publishSnapshot(const std::string& name, const std::string& path);
	std::string cameraOf(const Poco::JSON::Object::Ptr& params) const;

	// Command worker
	void command(const std::string& camera, const std::string& kind, const std::string& payload);

	// Network thread
	void onMessage(const std::string& topic, std::string payload);

	void send(const std::string& topic, const std::string& payload, bool retain);
	void enqueue(std::function<void()> job, bool evenIfFull = false);
		/// evenIfFull: control jobs (connect, republish), one per connection.

	sdk::Host& _host;
	const MqttSettings _settings;
	const Topics _topics;
	BridgeMetrics _metrics;
	std::unique_ptr<MqttClient> _client;
	WorkQueue _worker;
	WorkQueue _commands;
	std::map<std::string, Camera> _cameras; // worker thread only
	bool _listed = false;                   // _cameras came from get_camera_list
};

} // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_MQTTBRIDGE_H
