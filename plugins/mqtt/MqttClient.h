//
// MqttClient.h
//
// One connection to the broker through libmosquitto, run on libmosquitto's
// own network thread (mosquitto_loop_start): connecting, TLS, the will,
// reconnecting with exponential backoff. publish() never blocks: it hands
// the message to libmosquitto or refuses it at once, when the broker is not
// connected or mqtt.queue_limit messages (mqtt.queue_bytes of payload) are
// still unsent/unacknowledged, so a broker that is down or slow makes the
// service hold at most that much.
//

#ifndef CAMSVC_MQTT_MQTTCLIENT_H
#define CAMSVC_MQTT_MQTTCLIENT_H

#include "MqttSettings.h"
#include <Poco/Logger.h>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

struct mosquitto;
struct mosquitto_message;

namespace camsvc::mqtt {

class MqttClient
{
public:
	struct Callbacks
		/// Called on libmosquitto's network thread: return quickly, never block.
	{
		std::function<void()> connected;      // after every successful CONNACK
		std::function<void()> disconnected;   // the connection was lost or refused
		std::function<void(const std::string& topic, std::string payload)> message;
	};

	enum class Result { Sent, NotConnected, QueueFull, Failed };

	MqttClient(const MqttSettings& settings, std::string willTopic, std::string willPayload, Poco::Logger& logger);
		/// Throws std::runtime_error when libmosquitto refuses the settings (TLS files).
	~MqttClient();

	MqttClient(const MqttClient&) = delete;
	MqttClient& operator=(const MqttClient&) = delete;

	void start(Callbacks callbacks);
		/// Starts connecting; may block for the broker's name lookup only.
		/// Later connects (exponential backoff from mqtt.reconnect_min_seconds
		/// up to mqtt.reconnect_max_seconds) happen on the network thread.
	void stop(const std::string& lastTopic, const std::string& lastPayload);
		/// Publishes lastPayload retained (the clean-shutdown "offline"), waits
		/// up to a second for it to leave, disconnects and joins the thread.

	Result publish(const std::string& topic, const void* data, std::size_t size, bool retain);
	Result publish(const std::string& topic, const std::string& payload, bool retain)
	{
		return publish(topic, payload.data(), payload.size(), retain);
	}
	void subscribe(const std::string& pattern);
		/// Takes effect on the current connection; call it again after each connect.

	bool connected() const { return _connected.load(std::memory_order_acquire); }
	bool full() const;
		/// Connected but mqtt.queue_limit messages or mqtt.queue_bytes wait
		/// already (a stalled broker): publish() would refuse anything sizeable.
	std::size_t outstanding() const;
		/// Messages handed to libmosquitto and not yet written (QoS 0) or acknowledged (QoS 1).

private:
	static void onConnect(struct mosquitto*, void* self, int rc);
	static void onDisconnect(struct mosquitto*, void* self, int rc);
	static void onPublish(struct mosquitto*, void* self, int mid);
	static void onMessage(struct mosquitto*, void* self, const struct mosquitto_message* message);
	bool reserve(std::size_t size);
	void settle(int mid, std::size_t size);

	const MqttSettings& _settings;
	Poco::Logger& _logger;
	struct mosquitto* _mosq = nullptr;
	Callbacks _callbacks;
	std::atomic<bool> _connected{false};
	std::atomic<bool> _loggedDown{false}; // one warning per outage, not per retry
	std::atomic<bool> _started{false};

	// What libmosquitto holds for us: message id -> payload bytes. An
	// acknowledgement may come before mosquitto_publish() returned its id:
	// then it waits in _early.
	mutable std::mutex _mutex;
	std::condition_variable _acknowledged;
	std::unordered_map<int, std::size_t> _pending;
	std::unordered_set<int> _early;
	std::size_t _count = 0;  // reserved or pending messages
	std::size_t _bytes = 0;  // their payload bytes
	int _lastMid = -1;       // stop(): the "offline" message
	bool _lastDone = false;
};

} // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_MQTTCLIENT_H
