//
// MqttServer.h
//
// The real server with the capture stack, two 320x240 test-pattern cameras
// (camera0, camera1) and the mqtt plugin pointed at a test broker, for the
// MQTT integration tests and the benchmark.
//

#ifndef CAMSVC_TEST_MQTTSERVER_H
#define CAMSVC_TEST_MQTTSERVER_H

#include "MqttTestSupport.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <map>
#include <stdexcept>
#include <string>

namespace camsvc::test {

inline ServerProcess::Options mqttServerOptions(const MosquittoBroker& broker, const std::string& prefix,
	const std::map<std::string, std::string>& extra = {})
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "test_tools", "cameras", "storage", "snapshots", "recording", "metrics", "mqtt"};
	o.defines = {
		{"cameras.v4l2.enabled", "false"},
		{"cameras.sources.a.url", "testsrc://?size=320x240&rate=15"},
		{"cameras.sources.a.index", "0"},
		{"cameras.sources.b.url", "testsrc://?size=320x240&rate=10"},
		{"cameras.sources.b.index", "1"},
		{"mediamtx.enabled", "false"},
		{"logging.level", "information"},
		{"mqtt.url", broker.url()},
		{"mqtt.topic_prefix", prefix},
		{"mqtt.commands", "true"},
		{"mqtt.homeassistant.enabled", "true"},
		{"mqtt.homeassistant.node_id", "node_" + std::to_string(broker.port())},
		{"mqtt.reconnect_min_seconds", "1"},
		{"mqtt.reconnect_max_seconds", "1"},
		// FFmpeg loads when a capture needs it, not in the background after the
		// bridge's first get_camera_list (an operator's camera call): the memory
		// checks measure the bridge, not a 30 MB library load.
		{"ffmpeg.preload", "false"},
	};
	for (const auto& [k, v]: extra)
		o.defines[k] = v;
	return o;
}

struct MqttRig
	/// A broker of its own and the server on it, once the service said "online".
{
	explicit MqttRig(const std::string& topicPrefix, const std::map<std::string, std::string>& extra = {}):
		prefix(topicPrefix), server(mqttServerOptions(broker, prefix, extra))
	{
		MqttSubscriber sub(broker.port(), {prefix + "/availability"});
		if (!sub.waitForPayload(prefix + "/availability", "online"))
			throw std::runtime_error("the service never said online:\n" + server.log());
	}

	MosquittoBroker broker;
	std::string prefix;
	ServerProcess server;
};

inline Poco::JSON::Object::Ptr jsonObject(const std::string& text)
	/// Throws Poco::Exception when text is not a JSON object.
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_MQTTSERVER_H
