#include "MqttSettings.h"
#include <Poco/Environment.h>
#include <Poco/URI.h>
#include <cctype>
#include <stdexcept>

namespace camsvc::mqtt {

namespace {

int intIn(const Poco::Util::AbstractConfiguration& config, const std::string& key, int def, int lo, int hi)
{
	int v = config.getInt(key, def);
	if (v < lo || v > hi)
		throw std::invalid_argument(key + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
	return v;
}

std::string slug(const std::string& s)
	/// [a-zA-Z0-9_-] only: Home Assistant's node and object ids.
{
	std::string out;
	for (char c: s)
		out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
	return out.empty() ? "camera-service" : out;
}

bool validTopicName(const std::string& topic)
{
	if (topic.empty() || topic.front() == '/' || topic.back() == '/')
		return false;
	std::size_t start = 0;
	for (;;)
	{
		std::size_t end = topic.find('/', start);
		if (!validTopicLevel(topic.substr(start, end == std::string::npos ? std::string::npos : end - start)))
			return false;
		if (end == std::string::npos)
			return true;
		start = end + 1;
	}
}

} // namespace

bool validTopicLevel(const std::string& level)
{
	if (level.empty())
		return false;
	for (unsigned char c: level)
		if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f)
			return false;
	return true;
}

MqttSettings MqttSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	MqttSettings s;
	std::string url = config.getString("mqtt.url", "mqtt://localhost:1883");
	Poco::URI uri;
	try
	{
		uri = Poco::URI(url);
	}
	catch (const Poco::Exception&)
	{
		throw std::invalid_argument("mqtt.url is not a URL");
	}
	if (uri.getScheme() != "mqtt" && uri.getScheme() != "mqtts")
		throw std::invalid_argument("mqtt.url must start with mqtt:// or mqtts://");
	if (uri.getHost().empty())
		throw std::invalid_argument("mqtt.url has no host");
	if (!uri.getUserInfo().empty())
		throw std::invalid_argument("mqtt.url must not carry credentials: use mqtt.username and mqtt.password");
	s.tls = uri.getScheme() == "mqtts";
	s.host = uri.getHost();
	s.port = uri.getSpecifiedPort() ? uri.getSpecifiedPort() : (s.tls ? 8883 : 1883);
	s.username = config.getString("mqtt.username", "");
	s.password = config.getString("mqtt.password", "");
	if (!s.password.empty() && s.username.empty())
		throw std::invalid_argument("mqtt.password needs mqtt.username");
	s.caFile = config.getString("mqtt.tls.ca_file", "");
	s.certificate = config.getString("mqtt.tls.certificate", "");
	s.privateKey = config.getString("mqtt.tls.private_key", "");
	if (s.certificate.empty() != s.privateKey.empty())
		throw std::invalid_argument("mqtt.tls.certificate and mqtt.tls.private_key go together");
	if (!s.tls && (!s.caFile.empty() || !s.certificate.empty()))
		throw std::invalid_argument("mqtt.tls.* need an mqtts:// mqtt.url");

	std::string host = Poco::Environment::nodeName();
	s.clientId = config.getString("mqtt.client_id", "camera-service-" + host);
	if (s.clientId.empty() || s.clientId.size() > 23 * 8)
		throw std::invalid_argument("mqtt.client_id must be 1 to 184 bytes");
	std::string protocol = config.getString("mqtt.protocol", "3.1.1");
	if (protocol == "3.1.1")
		s.protocol = 4;
	else if (protocol == "5")
		s.protocol = 5;
	else
		throw std::invalid_argument("mqtt.protocol must be 3.1.1 or 5");
	s.keepAliveSeconds = intIn(config, "mqtt.keepalive_seconds", 30, 5, 3600);
	s.reconnectMinSeconds = intIn(config, "mqtt.reconnect_min_seconds", 1, 1, 3600);
	s.reconnectMaxSeconds = intIn(config, "mqtt.reconnect_max_seconds", 30, s.reconnectMinSeconds, 3600);
	s.qos = intIn(config, "mqtt.qos", 1, 0, 1);

	s.topicPrefix = config.getString("mqtt.topic_prefix", "camera-service/" + host);
	if (!validTopicName(s.topicPrefix))
		throw std::invalid_argument("mqtt.topic_prefix must be a topic name without wildcards, empty levels or leading/trailing '/'");
	s.events = config.getBool("mqtt.events", true);
	s.queueLimit = static_cast<std::size_t>(intIn(config, "mqtt.queue_limit", 1000, 10, 1000000));
	s.queueBytes = static_cast<std::size_t>(intIn(config, "mqtt.queue_bytes", 16 << 20, 1 << 16, 1 << 30));
	s.snapshotMaxBytes = static_cast<std::size_t>(intIn(config, "mqtt.snapshot_max_bytes", 4 << 20, 0,
		static_cast<int>(s.queueBytes)));
	s.commands = config.getBool("mqtt.commands", false);
	std::string role = config.getString("mqtt.command_role", "operator");
	if (!sdk::parseRole(role, s.commandRole) || s.commandRole == sdk::Role::None)
		throw std::invalid_argument("mqtt.command_role must be viewer, operator or admin");
	s.homeAssistant = config.getBool("mqtt.homeassistant.enabled", false);
	s.discoveryPrefix = config.getString("mqtt.homeassistant.prefix", "homeassistant");
	if (!validTopicName(s.discoveryPrefix))
		throw std::invalid_argument("mqtt.homeassistant.prefix must be a topic name without wildcards");
	s.nodeId = slug(config.getString("mqtt.homeassistant.node_id", "camsvc_" + host));
	return s;
}

void MqttSettings::declare(sdk::ConfigSchema& schema)
{
	using K = sdk::ConfigKey;
	using T = sdk::ConfigType;
	schema.declare(K("mqtt.url", T::String, "mqtt://localhost:1883", "Broker: mqtt:// or mqtts:// (TLS), no credentials").maxLen(2048));
	schema.declare(K("mqtt.username", T::String, "", "Broker user").maxLen(256));
	schema.declare(K("mqtt.password", T::String, "", "Broker password (needs mqtt.username)").maxLen(256).masked());
	schema.declare(K("mqtt.tls.ca_file", T::Path, "", "mqtts: CA file to verify the broker; empty: the system's"));
	schema.declare(K("mqtt.tls.certificate", T::Path, "", "mqtts: client certificate"));
	schema.declare(K("mqtt.tls.private_key", T::Path, "", "mqtts: the client certificate's key"));
	schema.declare(K("mqtt.client_id", T::String, "", "Client id; empty: camera-service-<hostname>").maxLen(184));
	schema.declare(K("mqtt.protocol", T::String, "3.1.1", "MQTT protocol version").values({"3.1.1", "5"}));
	schema.declare(K("mqtt.keepalive_seconds", T::Integer, "30", "Keep-alive interval").range(5, 3600));
	schema.declare(K("mqtt.reconnect_min_seconds", T::Integer, "1", "Reconnect backoff: first delay").range(1, 3600));
	schema.declare(K("mqtt.reconnect_max_seconds", T::Integer, "30", "Reconnect backoff: longest delay (>= min)").range(1, 3600));
	schema.declare(K("mqtt.qos", T::Integer, "1", "QoS of everything published").range(0, 1));
	schema.declare(K("mqtt.topic_prefix", T::String, "", "Prefix of every topic; empty: camera-service/<hostname>").maxLen(1024));
	schema.declare(K("mqtt.events", T::Boolean, "true", "Publish every notification on <prefix>/events"));
	schema.declare(K("mqtt.queue_limit", T::Integer, "1000", "Messages waiting for the broker at most").range(10, 1000000));
	schema.declare(K("mqtt.queue_bytes", T::Integer, "16777216", "Payload bytes waiting for the broker at most").range(65536, 1073741824));
	schema.declare(K("mqtt.snapshot_max_bytes", T::Integer, "4194304", "Larger snapshots are not published (<= mqtt.queue_bytes)").range(0, 1073741824));
	schema.declare(K("mqtt.commands", T::Boolean, "false", "Accept snapshot and recording commands"));
	schema.declare(K("mqtt.command_role", T::String, "operator", "Role the commands run as").values({"viewer", "operator", "admin"}));
	schema.declare(K("mqtt.homeassistant.enabled", T::Boolean, "false", "Home Assistant MQTT discovery"));
	schema.declare(K("mqtt.homeassistant.prefix", T::String, "homeassistant", "Discovery prefix").maxLen(1024));
	schema.declare(K("mqtt.homeassistant.node_id", T::String, "", "Device id in Home Assistant; empty: camsvc_<hostname>").maxLen(256));
}

std::string MqttSettings::brokerAddress() const
{
	return std::string(tls ? "mqtts://" : "mqtt://") + host + ":" + std::to_string(port);
}

} // namespace camsvc::mqtt
