#include "MqttBridge.h"
#include "HomeAssistant.h"
#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace camsvc::mqtt {

namespace {

std::string toText(const Var& v)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(v, out);
	return out.str();
}

sdk::Identity identity(sdk::Role role, const char* method)
	/// Who the bridge calls methods as: "mqtt" (method "mqtt" for broker
	/// commands, "plugin" for its own reads), valid for the call.
{
	sdk::Identity id;
	id.userId = "mqtt";
	id.method = method;
	id.role = role;
	id.expiresAt = Poco::Timestamp() + Poco::Timespan(3600, 0);
	return id;
}

std::string stoppedRecording(const std::string& device)
	/// What .../recording says for a camera that has not recorded since start-up.
{
	Object::Ptr o = new Object;
	o->set("device", device);
	o->set("status", "STOPPED");
	return toText(o);
}

} // namespace

MqttBridge::MqttBridge(sdk::Host& host, MqttSettings settings, BridgeMetrics metrics):
	_host(host),
	_settings(std::move(settings)),
	_topics(_settings.topicPrefix, _settings.discoveryPrefix, _settings.nodeId),
	_metrics(metrics),
	_client(std::make_unique<MqttClient>(_settings, _topics.availability(), "offline", host.logger())),
	_worker(_settings.queueLimit),
	_commands(CommandQueueLimit)
{
}

MqttBridge::~MqttBridge()
{
	stop();
}

void MqttBridge::enqueue(std::function<void()> job, bool evenIfFull)
{
	bool queued = _worker.push([this, job = std::move(job)] {
		try
		{
			job();
		}
		catch (const std::exception& e)
		{
			_host.logger().error("MQTT bridge: %s", std::string(e.what()));
		}
	}, evenIfFull);
	if (!queued)
		_metrics.dropped.inc();
}

void MqttBridge::onNotification(const std::string& name, const Object::Ptr& params)
{
	enqueue([this, name, params] { handle(name, params); });
}

void MqttBridge::start()
{
	_worker.start();
	_commands.start();
	_metrics.connected.set(0);
	MqttClient::Callbacks callbacks;
	callbacks.connected = [this] {
		_metrics.connected.set(1);
		_host.reportHealth("mqtt", sdk::Health::Healthy, "connected to " + _settings.brokerAddress());
		if (_settings.commands)
			_client->subscribe(_topics.commandPattern());
		_client->subscribe(_topics.statePattern()); // what a previous run left retained
		enqueue([this] { republish(); }, true);
	};
	callbacks.disconnected = [this] {
		_metrics.connected.set(0);
		_host.reportHealth("mqtt", sdk::Health::Degraded, "MQTT broker " + _settings.brokerAddress() + " unreachable");
	};
	callbacks.message = [this](const std::string& topic, std::string payload) { onMessage(topic, std::move(payload)); };
	_host.reportHealth("mqtt", sdk::Health::Degraded, "connecting to " + _settings.brokerAddress());
	// The first connect resolves the broker's name: on the worker, so start() never waits for DNS.
	enqueue([this, callbacks] { _client->start(callbacks); }, true);
}

void MqttBridge::stop()
{
	_commands.stop();
	_worker.stop();
	if (_client)
		_client->stop(_topics.availability(), "offline");
}

void MqttBridge::send(const std::string& topic, const std::string& payload, bool retain)
{
	if (_client->publish(topic, payload, retain) == MqttClient::Result::Sent)
		_metrics.published.inc();
	else
		_metrics.dropped.inc();
}

std::string MqttBridge::cameraOf(const Object::Ptr& params) const
{
	if (params->has("stream_name"))
		return params->getValue<std::string>("stream_name");
	std::string device = params->optValue<std::string>("device", "");
	for (const auto& [name, camera]: _cameras)
		if (camera.device == device || name == device)
			return name;
	return {};
}

void MqttBridge::handle(const std::string& name, const Object::Ptr& params)
{
	if (_settings.events && (!_client->connected() || _client->full()))
	{
		_metrics.dropped.inc(); // not even made into text while the broker is away or stalled
	}
	else if (_settings.events)
	{
		Object::Ptr event = new Object;
		event->set("method", name);
		event->set("params", params);
		send(_topics.events(), toText(event), false);
	}
	if (name == "camera_status_update")
	{
		updateCamera(params);
		return;
	}
	if (name != "recording_status_update" && name != "snapshot_taken")
		return;
	std::string camera = cameraOf(params);
	auto it = _cameras.find(camera);
	if (it == _cameras.end())
		return; // a camera the bridge has not seen: its state arrives with the next list
	if (name == "recording_status_update")
	{
		it->second.recording = toText(params);
		send(_topics.camera(camera, "recording"), it->second.recording, true);
	}
	else if (params->has("file_path"))
	{
		it->second.snapshotPath = params->getValue<std::string>("file_path");
		publishSnapshot(camera, it->second.snapshotPath);
	}
}

MqttBridge::Camera* MqttBridge::remember(const Object::Ptr& status, bool& added)
{
	std::string name = status->optValue<std::string>("stream_name", "");
	if (!validTopicLevel(name))
	{
		_host.logger().warning("camera %s has no name usable in a topic; not published", name);
		return nullptr;
	}
	auto [it, inserted] = _cameras.try_emplace(name);
	Camera& camera = it->second;
	camera.device = status->optValue<std::string>("device", "");
	camera.label = status->optValue<std::string>("name", name);
	camera.state = toText(status);
	if (inserted)
		camera.recording = stoppedRecording(camera.device);
	added = inserted;
	return &camera;
}

void MqttBridge::updateCamera(const Object::Ptr& status)
{
	bool added = false;
	Camera* camera = remember(status, added);
	if (!camera)
		return;
	std::string name = status->getValue<std::string>("stream_name");
	if (added)
		publishCamera(name, *camera); // with its discovery configs
	else
		send(_topics.camera(name, "state"), camera->state, true);
}

void MqttBridge::publishCamera(const std::string& name, const Camera& camera)
{
	send(_topics.camera(name, "state"), camera.state, true);
	send(_topics.camera(name, "recording"), camera.recording, true);
	if (!camera.snapshotPath.empty())
		publishSnapshot(name, camera.snapshotPath);
	if (_settings.homeAssistant)
		for (const auto& m: cameraDiscovery(_topics, name, camera.label, _settings.commands))
			send(m.topic, m.payload, true);
}

void MqttBridge::publishSnapshot(const std::string& name, const std::string& path)
{
	std::error_code ec;
	std::uintmax_t size = std::filesystem::file_size(path, ec);
	if (ec || size > _settings.snapshotMaxBytes)
	{
		if (!ec)
			_host.logger().warning("snapshot %s has %s bytes, over mqtt.snapshot_max_bytes; not published",
				path, std::to_string(size));
		_metrics.dropped.inc();
		return;
	}
	std::string bytes(static_cast<std::size_t>(size), '\0');
	std::ifstream in(path, std::ios::binary);
	if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
	{
		_metrics.dropped.inc(); // deleted (retention) or truncated meanwhile
		return;
	}
	send(_topics.camera(name, "snapshot"), bytes, true);
}

void MqttBridge::republish()
{
	if (!_client->connected())
		return;
	send(_topics.availability(), "online", true);
	if (_settings.homeAssistant)
		for (const auto& m: serviceDiscovery(_topics, "camera-service " + Poco::Environment::nodeName()))
			send(m.topic, m.payload, true);
	try
	{
		Var list = _host.call("get_camera_list", nullptr, identity(sdk::Role::Viewer, "plugin"));
		std::set<std::string> listed;
		for (const auto& entry: *list.extract<Object::Ptr>()->getArray("cameras"))
		{
			Object::Ptr status = entry.extract<Object::Ptr>();
			bool added = false;
			if (remember(status, added))
				listed.insert(status->getValue<std::string>("stream_name"));
		}
		std::vector<std::string> gone;
		for (const auto& [name, camera]: _cameras)
			if (!listed.count(name))
				gone.push_back(name);
		for (const auto& name: gone)
			removeCamera(name);
		_listed = true;
	}
	catch (const sdk::RpcError& e)
	{
		// No cameras plugin (-32601), or it failed: publish what is known.
		_host.logger().debug("get_camera_list for MQTT: %s", std::string(e.what()));
	}
	for (const auto& [name, camera]: _cameras)
		publishCamera(name, camera);
}

void MqttBridge::removeCamera(const std::string& name)
{
	_cameras.erase(name);
	clearCamera(name);
}

void MqttBridge::clearCamera(const std::string& name)
{
	for (const char* leaf: {"state", "recording", "snapshot"})
		send(_topics.camera(name, leaf), "", true);
	if (_settings.homeAssistant)
		for (const auto& m: cameraDiscoveryRemoval(_topics, name))
			send(m.topic, m.payload, true);
	_host.logger().information("camera %s removed from MQTT", name);
}

void MqttBridge::onMessage(const std::string& topic, std::string payload)
{
	std::string camera, leaf;
	if (!_topics.parseCamera(topic, camera, leaf))
		return;
	if (leaf == "state")
	{
		// A retained state from a previous run: cleared if the service no
		// longer has that camera. Our own publications echo here too.
		if (payload.empty())
			return;
		enqueue([this, camera] {
			if (_listed && !_cameras.count(camera) && validTopicLevel(camera))
				clearCamera(camera);
		});
		return;
	}
	if (!_settings.commands || (leaf != "snapshot/set" && leaf != "recording/set"))
		return;
	std::string kind = leaf.substr(0, leaf.find('/'));
	if (!_commands.push([this, camera, kind, payload = std::move(payload)] { command(camera, kind, payload); }))
	{
		_metrics.dropped.inc();
		_metrics.commandsFailed.inc();
	}
}

void MqttBridge::command(const std::string& camera, const std::string& kind, const std::string& payload)
{
	Object::Ptr params = new Object;
	std::string method;
	if (kind == "snapshot")
	{
		method = "take_snapshot";
		// A JSON object payload carries take_snapshot's optional params (format, quality, filename).
		try
		{
			Var parsed = Poco::JSON::Parser().parse(payload);
			if (parsed.type() == typeid(Object::Ptr))
				params = parsed.extract<Object::Ptr>();
		}
		catch (const Poco::Exception&)
		{
			// Any other payload ("PRESS" from Home Assistant) just takes one.
		}
	}
	else if (payload == "ON" || payload == "OFF")
	{
		method = payload == "ON" ? "start_recording" : "stop_recording";
	}
	params->set("device", camera);

	Object::Ptr answer = new Object;
	answer->set("method", method.empty() ? Var() : Var(method));
	try
	{
		if (method.empty())
			throw sdk::RpcError::invalidParams("payload", "not_allowed", "recording/set takes ON or OFF");
		answer->set("result", _host.call(method, params, identity(_settings.commandRole, "mqtt")));
		_metrics.commands.inc();
		_host.logger().information("MQTT command %s on %s: done", method, camera);
	}
	catch (const sdk::RpcError& e)
	{
		Object::Ptr error = new Object;
		error->set("code", e.code());
		error->set("message", e.message());
		if (e.data())
			error->set("data", e.data());
		answer->set("error", error);
		_metrics.commands.inc();
		_metrics.commandsFailed.inc();
		_host.logger().information("MQTT command %s on %s refused: %d %s", method, camera, e.code(), e.message());
	}
	send(_topics.camera(camera, kind + "/result"), toText(answer), false);
}

} // namespace camsvc::mqtt
