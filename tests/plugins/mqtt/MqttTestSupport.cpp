#include "MqttTestSupport.h"
#include "support/ServerProcess.h"
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>
#include <fstream>
#include <mosquitto.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace camsvc::test {

MosquittoBroker::MosquittoBroker(std::string extraConfig): _port(ServerProcess::freePort()), _dir(makeTempDir("camsvc-mosquitto"))
{
	std::ofstream conf(_dir + "/mosquitto.conf");
	conf << "listener " << _port << " 127.0.0.1\n"
	     << "allow_anonymous true\n"
	     << "persistence false\n"
	     << "max_queued_messages 100000\n"
	     << "log_dest stderr\n"
	     << "log_type error\nlog_type warning\nlog_type notice\n"
	     << (geteuid() == 0 ? "user root\n" : "") // started as root it would drop to "mosquitto", unable to read the test's 0700 files
	     << extraConfig;
	conf.close();
	start();
}

MosquittoBroker::~MosquittoBroker()
{
	stop();
	removeTree(_dir);
}

void MosquittoBroker::start()
{
	_process = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", _dir + "/mosquitto.conf"},
		_dir + "/mosquitto.log");
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
	while (std::chrono::steady_clock::now() < deadline)
	{
		try
		{
			Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(_port)));
			return;
		}
		catch (const Poco::Exception&)
		{
			if (!_process->running())
				break;
			std::this_thread::sleep_for(std::chrono::milliseconds(20)); // polling a port: no event to wait on
		}
	}
	throw std::runtime_error("mosquitto did not start: " + log());
}

void MosquittoBroker::stop()
{
	if (_process)
		_process->stop(15, 5000);
	_process.reset();
}

std::string MosquittoBroker::log() const
{
	std::ifstream in(_dir + "/mosquitto.log");
	return std::string(std::istreambuf_iterator<char>(in), {});
}

MqttSubscriber::MqttSubscriber(int port, const std::vector<std::string>& patterns, int qos)
{
	static std::once_flag initialized;
	std::call_once(initialized, [] { mosquitto_lib_init(); });
	_mosq = mosquitto_new(nullptr, true, this);
	mosquitto_message_callback_set(_mosq, &MqttSubscriber::onMessage);
	mosquitto_subscribe_callback_set(_mosq, &MqttSubscriber::onSubscribe);
	if (mosquitto_connect(_mosq, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS)
		throw std::runtime_error("subscriber cannot connect to port " + std::to_string(port));
	for (const auto& p: patterns)
		mosquitto_subscribe(_mosq, nullptr, p.c_str(), qos);
	mosquitto_loop_start(_mosq);
	std::unique_lock lock(_mutex);
	if (!_arrived.wait_for(lock, std::chrono::seconds(10), [&] { return _subscribed == static_cast<int>(patterns.size()); }))
		throw std::runtime_error("no SUBACK");
}

MqttSubscriber::~MqttSubscriber()
{
	mosquitto_disconnect(_mosq);
	mosquitto_loop_stop(_mosq, false);
	mosquitto_destroy(_mosq);
}

void MqttSubscriber::onMessage(struct mosquitto*, void* self, const struct mosquitto_message* m)
{
	auto* s = static_cast<MqttSubscriber*>(self);
	MqttMessage msg;
	msg.topic = m->topic;
	msg.payload.assign(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen));
	msg.retained = m->retain;
	msg.received = std::chrono::steady_clock::now();
	msg.receivedEpochMicros = Poco::Timestamp().epochMicroseconds();
	std::lock_guard lock(s->_mutex);
	s->_messages.push_back(std::move(msg));
	s->_arrived.notify_all();
}

void MqttSubscriber::onSubscribe(struct mosquitto*, void* self, int, int, const int*)
{
	auto* s = static_cast<MqttSubscriber*>(self);
	std::lock_guard lock(s->_mutex);
	++s->_subscribed;
	s->_arrived.notify_all();
}

std::optional<MqttMessage> MqttSubscriber::waitFor(const std::function<bool(const MqttMessage&)>& match, int timeoutMs)
{
	std::unique_lock lock(_mutex);
	std::size_t checked = 0;
	std::optional<MqttMessage> found;
	_arrived.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
		for (; checked < _messages.size(); ++checked)
			if (match(_messages[checked]))
			{
				found = _messages[checked];
				return true;
			}
		return false;
	});
	return found;
}

std::optional<MqttMessage> MqttSubscriber::waitForTopic(const std::string& topic, int timeoutMs)
{
	return waitFor([&](const MqttMessage& m) { return m.topic == topic; }, timeoutMs);
}

std::optional<MqttMessage> MqttSubscriber::waitForPayload(const std::string& topic, const std::string& payload, int timeoutMs)
{
	return waitFor([&](const MqttMessage& m) { return m.topic == topic && m.payload == payload; }, timeoutMs);
}

bool MqttSubscriber::waitForCount(const std::function<bool(const MqttMessage&)>& match, std::size_t count, int timeoutMs)
{
	std::unique_lock lock(_mutex);
	std::size_t checked = 0, matched = 0;
	return _arrived.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
		for (; checked < _messages.size(); ++checked)
			matched += match(_messages[checked]);
		return matched >= count;
	});
}

std::vector<MqttMessage> MqttSubscriber::messages() const
{
	std::lock_guard lock(_mutex);
	return _messages;
}

void MqttSubscriber::publish(const std::string& topic, const std::string& payload, bool retain)
{
	mosquitto_publish(_mosq, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, retain);
}

} // namespace camsvc::test
