#include "MqttSettings.h"
#include <Poco/Environment.h>
#include <Poco/URI.h>
#include <cctype>
#include <stdexcept>

namespace camsvc {
namespace mqtt {

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

std::string MqttSettings::brokerAddress() const
{
	return std::string(tls ? "mqtts://" : "mqtt://") + host + ":" + std::to_string(port);
}

} } // namespace camsvc::mqtt
