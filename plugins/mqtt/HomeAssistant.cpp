#include "HomeAssistant.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <sstream>

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace camsvc::mqtt {

namespace {

struct Entity
{
	const char* component;
	const char* suffix;   // object id = <camera>_<suffix>
	bool needsCommands;
};

const Entity CameraEntities[] = {
	{"camera", "snapshot", false},
	{"binary_sensor", "connected", false},
	{"switch", "recording", true},
	{"button", "take_snapshot", true},
};

std::string text(const Object::Ptr& o)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(o, out);
	return out.str();
}

Array::Ptr one(const std::string& s)
{
	Array::Ptr a = new Array;
	a->add(s);
	return a;
}

Object::Ptr entity(const Topics& topics, const std::string& uniqueId, const std::string& name, Object::Ptr device)
{
	Object::Ptr o = new Object;
	o->set("name", name);
	o->set("unique_id", uniqueId);
	o->set("object_id", uniqueId);
	o->set("availability_topic", topics.availability());
	o->set("payload_available", "online");
	o->set("payload_not_available", "offline");
	o->set("device", device);
	return o;
}

} // namespace

std::vector<RetainedMessage> serviceDiscovery(const Topics& topics, const std::string& serviceName)
{
	Object::Ptr device = new Object;
	device->set("identifiers", one(topics.nodeId()));
	device->set("name", serviceName);
	device->set("manufacturer", "camera-service");
	device->set("model", "camera-service");
	Object::Ptr online = entity(topics, topics.nodeId() + "_online", "Online", device);
	online->remove("availability_topic"); // it is the availability itself
	online->remove("payload_available");
	online->remove("payload_not_available");
	online->set("state_topic", topics.availability());
	online->set("payload_on", "online");
	online->set("payload_off", "offline");
	online->set("device_class", "connectivity");
	online->set("entity_category", "diagnostic");
	return {{topics.discovery("binary_sensor", topics.nodeId() + "_online"), text(online)}};
}

std::vector<RetainedMessage> cameraDiscovery(const Topics& topics, const std::string& camera, const std::string& label,
	bool commands)
{
	Object::Ptr device = new Object;
	device->set("identifiers", one(topics.nodeId() + "_" + camera));
	device->set("name", label.empty() ? camera : label);
	device->set("manufacturer", "camera-service");
	device->set("model", camera);
	device->set("via_device", topics.nodeId());

	std::vector<RetainedMessage> out;
	for (const Entity& e: CameraEntities)
	{
		std::string objectId = camera + "_" + e.suffix;
		std::string topic = topics.discovery(e.component, topics.nodeId() + "_" + objectId);
		if (e.needsCommands && !commands)
		{
			out.push_back({topic, ""});
			continue;
		}
		std::string component = e.component;
		Object::Ptr o;
		if (component == "camera")
		{
			o = entity(topics, topics.nodeId() + "_" + objectId, "Snapshot", device);
			o->set("topic", topics.camera(camera, "snapshot"));
		}
		else if (component == "binary_sensor")
		{
			o = entity(topics, topics.nodeId() + "_" + objectId, "Connected", device);
			o->set("state_topic", topics.camera(camera, "state"));
			o->set("value_template", "{{ 'ON' if value_json.status == 'CONNECTED' else 'OFF' }}");
			o->set("payload_on", "ON");
			o->set("payload_off", "OFF");
			o->set("device_class", "connectivity");
		}
		else if (component == "switch")
		{
			o = entity(topics, topics.nodeId() + "_" + objectId, "Recording", device);
			o->set("state_topic", topics.camera(camera, "recording"));
			o->set("value_template", "{{ 'ON' if value_json.status == 'STARTED' else 'OFF' }}");
			o->set("command_topic", topics.camera(camera, "recording/set"));
			o->set("payload_on", "ON");
			o->set("payload_off", "OFF");
			o->set("state_on", "ON");
			o->set("state_off", "OFF");
			o->set("icon", "mdi:record-rec");
		}
		else
		{
			o = entity(topics, topics.nodeId() + "_" + objectId, "Take snapshot", device);
			o->set("command_topic", topics.camera(camera, "snapshot/set"));
			o->set("payload_press", "PRESS");
			o->set("icon", "mdi:camera");
		}
		out.push_back({topic, text(o)});
	}
	return out;
}

std::vector<RetainedMessage> cameraDiscoveryRemoval(const Topics& topics, const std::string& camera)
{
	std::vector<RetainedMessage> out;
	for (const Entity& e: CameraEntities)
		out.push_back({topics.discovery(e.component, topics.nodeId() + "_" + camera + "_" + e.suffix), ""});
	return out;
}

} // namespace camsvc::mqtt
