#include "MqttClient.h"
#include <mosquitto.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace camsvc::mqtt {

namespace {

void requireOk(int rc, const char* what)
{
	if (rc != MOSQ_ERR_SUCCESS)
		throw std::runtime_error(std::string(what) + ": " + mosquitto_strerror(rc));
}

} // namespace

MqttClient::MqttClient(const MqttSettings& settings, std::string willTopic, std::string willPayload, Poco::Logger& logger):
	_settings(settings), _logger(logger)
{
	static std::once_flag initialized;
	std::call_once(initialized, [] { mosquitto_lib_init(); }); // process-wide; never cleaned up while loaded
	_mosq = mosquitto_new(settings.clientId.c_str(), true, this);
	if (!_mosq)
		throw std::runtime_error("mosquitto_new failed");
	try
	{
		requireOk(mosquitto_int_option(_mosq, MOSQ_OPT_PROTOCOL_VERSION,
			settings.protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311), "mqtt.protocol");
		if (!settings.username.empty())
			requireOk(mosquitto_username_pw_set(_mosq, settings.username.c_str(),
				settings.password.empty() ? nullptr : settings.password.c_str()), "mqtt.username");
		if (settings.tls)
		{
			const char* caFile = settings.caFile.empty() ? nullptr : settings.caFile.c_str();
			const char* caPath = caFile ? nullptr : "/etc/ssl/certs";
			const char* cert = settings.certificate.empty() ? nullptr : settings.certificate.c_str();
			const char* key = settings.privateKey.empty() ? nullptr : settings.privateKey.c_str();
			requireOk(mosquitto_tls_set(_mosq, caFile, caPath, cert, key, nullptr), "mqtt.tls");
			requireOk(mosquitto_tls_opts_set(_mosq, 1, nullptr, nullptr), "mqtt.tls"); // verify the broker
		}
		requireOk(mosquitto_will_set(_mosq, willTopic.c_str(), static_cast<int>(willPayload.size()), willPayload.data(),
			settings.qos, true), "mqtt will");
		requireOk(mosquitto_reconnect_delay_set(_mosq, static_cast<unsigned>(settings.reconnectMinSeconds),
			static_cast<unsigned>(settings.reconnectMaxSeconds), true), "mqtt.reconnect_*");
	}
	catch (...)
	{
		mosquitto_destroy(_mosq);
		throw;
	}
	mosquitto_connect_callback_set(_mosq, &MqttClient::onConnect);
	mosquitto_disconnect_callback_set(_mosq, &MqttClient::onDisconnect);
	mosquitto_publish_callback_set(_mosq, &MqttClient::onPublish);
	mosquitto_message_callback_set(_mosq, &MqttClient::onMessage);
}

MqttClient::~MqttClient()
{
	if (_started)
	{
		mosquitto_disconnect(_mosq);
		mosquitto_loop_stop(_mosq, true);
	}
	mosquitto_destroy(_mosq);
}

void MqttClient::start(Callbacks callbacks)
{
	_callbacks = std::move(callbacks);
	int rc = mosquitto_connect_async(_mosq, _settings.host.c_str(), _settings.port, _settings.keepAliveSeconds);
	if (rc != MOSQ_ERR_SUCCESS)
	{
		// Not fatal: the network thread retries with backoff.
		_loggedDown = true;
		_logger.warning("MQTT broker %s unreachable (%s); retrying in the background",
			_settings.brokerAddress(), std::string(rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc)));
	}
	requireOk(mosquitto_loop_start(_mosq), "mosquitto_loop_start");
	_started = true;
}

void MqttClient::stop(const std::string& lastTopic, const std::string& lastPayload)
{
	if (!_started)
		return;
	if (connected()) // past the budget: this one matters more than any event
	{
		int mid = 0;
		if (mosquitto_publish(_mosq, &mid, lastTopic.c_str(), static_cast<int>(lastPayload.size()), lastPayload.data(),
				_settings.qos, true) == MOSQ_ERR_SUCCESS)
		{
			std::unique_lock lock(_mutex);
			_lastMid = mid;
			_lastDone = _early.count(mid) > 0;
			_acknowledged.wait_for(lock, std::chrono::seconds(1), [this] { return _lastDone; });
		}
	}
	mosquitto_disconnect(_mosq);
	bool closed;
	{
		// A broker that reads nothing never takes the DISCONNECT: then the
		// network thread is cancelled rather than shutdown waiting for it.
		std::unique_lock lock(_mutex);
		closed = _acknowledged.wait_for(lock, std::chrono::seconds(2), [this] { return !connected(); });
	}
	mosquitto_loop_stop(_mosq, !closed);
	_started = false;
	_connected = false;
}

bool MqttClient::reserve(std::size_t size)
{
	std::lock_guard lock(_mutex);
	if (_count >= _settings.queueLimit || _bytes + size > _settings.queueBytes)
		return false;
	++_count;
	_bytes += size;
	return true;
}

void MqttClient::settle(int mid, std::size_t size)
	/// After a successful mosquitto_publish(): the message is pending until
	/// acknowledged, unless that happened already.
{
	std::lock_guard lock(_mutex);
	if (_early.erase(mid))
	{
		--_count;
		_bytes -= size;
	}
	else
	{
		_pending[mid] = size;
	}
}

bool MqttClient::full() const
{
	std::lock_guard lock(_mutex);
	return _count >= _settings.queueLimit || _bytes + 1024 > _settings.queueBytes;
}

std::size_t MqttClient::outstanding() const
{
	std::lock_guard lock(_mutex);
	return _count;
}

MqttClient::Result MqttClient::publish(const std::string& topic, const void* data, std::size_t size, bool retain)
{
	if (!connected())
		return Result::NotConnected;
	if (!reserve(size))
		return Result::QueueFull;
	int mid = 0;
	int rc = mosquitto_publish(_mosq, &mid, topic.c_str(), static_cast<int>(size), data, _settings.qos, retain);
	if (rc == MOSQ_ERR_SUCCESS)
	{
		settle(mid, size);
		return Result::Sent;
	}
	std::lock_guard lock(_mutex);
	--_count;
	_bytes -= size;
	return rc == MOSQ_ERR_NO_CONN ? Result::NotConnected : Result::Failed;
}

void MqttClient::subscribe(const std::string& pattern)
{
	mosquitto_subscribe(_mosq, nullptr, pattern.c_str(), _settings.qos);
}

void MqttClient::onConnect(struct mosquitto*, void* self, int rc)
{
	auto* c = static_cast<MqttClient*>(self);
	if (rc != 0)
	{
		// Refused (bad credentials, not authorized): libmosquitto retries with backoff.
		if (!c->_loggedDown.exchange(true))
			c->_logger.error("MQTT broker %s refused the connection: %s", c->_settings.brokerAddress(),
				std::string(mosquitto_connack_string(rc)));
		return;
	}
	c->_connected = true;
	c->_loggedDown = false;
	c->_logger.information("connected to MQTT broker %s as %s", c->_settings.brokerAddress(), c->_settings.clientId);
	if (c->_callbacks.connected)
		c->_callbacks.connected();
}

void MqttClient::onDisconnect(struct mosquitto*, void* self, int rc)
{
	auto* c = static_cast<MqttClient*>(self);
	bool was = c->_connected.exchange(false);
	{
		std::lock_guard lock(c->_mutex);
		c->_acknowledged.notify_all(); // stop() waits for the connection to close
	}
	// QoS 0 messages not yet written are discarded with the connection (no
	// on_publish for them); QoS 1 messages stay queued and are resent.
	if (c->_settings.qos == 0)
	{
		std::lock_guard lock(c->_mutex);
		c->_pending.clear();
		c->_early.clear();
		c->_count = 0;
		c->_bytes = 0;
	}
	if (rc != 0 && !c->_loggedDown.exchange(true))
		c->_logger.warning("MQTT broker %s connection lost (%s); reconnecting with backoff up to %ds",
			c->_settings.brokerAddress(), std::string(mosquitto_strerror(rc)), c->_settings.reconnectMaxSeconds);
	if (was && c->_callbacks.disconnected)
		c->_callbacks.disconnected();
}

void MqttClient::onPublish(struct mosquitto*, void* self, int mid)
{
	auto* c = static_cast<MqttClient*>(self);
	std::lock_guard lock(c->_mutex);
	auto it = c->_pending.find(mid);
	if (it != c->_pending.end())
	{
		--c->_count;
		c->_bytes -= it->second;
		c->_pending.erase(it);
	}
	else
	{
		if (c->_early.size() >= c->_settings.queueLimit)
			c->_early.clear(); // ids of messages never tracked (a publish racing a disconnect): forget them
		c->_early.insert(mid);
	}
	if (mid == c->_lastMid)
	{
		c->_lastDone = true;
		c->_acknowledged.notify_all();
	}
}

void MqttClient::onMessage(struct mosquitto*, void* self, const struct mosquitto_message* message)
{
	auto* c = static_cast<MqttClient*>(self);
	if (c->_callbacks.message && message->topic)
		c->_callbacks.message(message->topic,
			std::string(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen)));
}

} // namespace camsvc::mqtt
