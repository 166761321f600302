//
// MqttTestSupport.h
//
// A real Mosquitto broker for the MQTT tests (Debian's /usr/sbin/mosquitto
// on a free loopback port, with its own config file, no persistence: a
// restart forgets every retained message), and a libmosquitto subscriber
// that records what it receives.
//

#ifndef CAMSVC_TEST_MQTTTESTSUPPORT_H
#define CAMSVC_TEST_MQTTTESTSUPPORT_H

#include "support/ChildProcess.h"
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace camsvc::test {

class MosquittoBroker
{
public:
	explicit MosquittoBroker(std::string extraConfig = "");
		/// Starts it and waits until it accepts connections (throws after 10 s).
	~MosquittoBroker();

	int port() const { return _port; }
	pid_t pid() const { return _process ? _process->pid() : -1; }
	std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(_port); }
	void start();
	void stop();
		/// SIGTERM and wait; start() again on the same port.
	std::string log() const;

private:
	int _port;
	std::string _dir;
	std::unique_ptr<ChildProcess> _process;
};

struct MqttMessage
{
	std::string topic;
	std::string payload;
	bool retained = false;
	std::chrono::steady_clock::time_point received;
	std::int64_t receivedEpochMicros = 0;
};

class MqttSubscriber
	/// Connects, subscribes to the patterns and waits for the SUBACK; every
	/// message that arrives is kept, in order.
{
public:
	MqttSubscriber(int port, const std::vector<std::string>& patterns, int qos = 1);
	~MqttSubscriber();

	std::optional<MqttMessage> waitFor(const std::function<bool(const MqttMessage&)>& match, int timeoutMs = 10000);
		/// The first message received so far or within the timeout that matches.
	std::optional<MqttMessage> waitForTopic(const std::string& topic, int timeoutMs = 10000);
		/// The first message on topic.
	std::optional<MqttMessage> waitForPayload(const std::string& topic, const std::string& payload, int timeoutMs = 10000);
	bool waitForCount(const std::function<bool(const MqttMessage&)>& match, std::size_t count, int timeoutMs);
	std::vector<MqttMessage> messages() const;
	void publish(const std::string& topic, const std::string& payload, bool retain = false);

private:
	static void onMessage(struct mosquitto*, void* self, const struct mosquitto_message* message);
	static void onSubscribe(struct mosquitto*, void* self, int mid, int count, const int* granted);

	struct mosquitto* _mosq = nullptr;
	mutable std::mutex _mutex;
	std::condition_variable _arrived;
	std::vector<MqttMessage> _messages;
	int _subscribed = 0;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_MQTTTESTSUPPORT_H
