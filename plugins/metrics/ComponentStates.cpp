//
// ComponentStates.cpp
//

#include "ComponentStates.h"

namespace camsvc::metrics {

namespace {

const char* pluginWord(const sdk::Records<sdk::PluginStatus>& plugins, const std::string& name)
{
	for (const auto& p: sdk::each(plugins))
	{
		if (p.name != name)
			continue;
		if (p.state == "started") return "RUNNING";
		if (p.state == "opened" || p.state == "loaded") return "STARTING";
		if (p.state == "stopped") return "STOPPED";
		return "ERROR"; // failed, rejected
	}
	return "STOPPED"; // not enabled
}

const char* healthWord(const sdk::ComponentHealth& c)
{
	if (c.health != sdk::Health::Healthy)
		return "ERROR";
	return c.detail == "disabled" ? "STOPPED" : "RUNNING";
}

bool failedPlugin(const sdk::PluginStatus& p)
{
	return p.state == "failed" || p.state == "rejected";
}

} // namespace

Poco::JSON::Object::Ptr componentStates(const sdk::Records<sdk::PluginStatus>& plugins,
	const sdk::Records<sdk::ComponentHealth>& components)
{
	Poco::JSON::Object::Ptr states = new Poco::JSON::Object;
	states->set("websocket_server", "RUNNING");
	states->set("camera_monitor", pluginWord(plugins, "cameras"));
	// mediamtx: the plugin's state until its first reconcile pass reports health.
	const char* mediamtx = pluginWord(plugins, "mediamtx");
	states->set("mediamtx", std::string(mediamtx) == "RUNNING" ? "STARTING" : mediamtx);
	for (const auto& c: sdk::each(components))
		if (c.name != "mediamtx" || std::string(mediamtx) == "RUNNING")
			states->set(c.name, healthWord(c));
	return states;
}

SystemSummary systemSummary(bool ready, const sdk::Records<sdk::PluginStatus>& plugins,
	const sdk::Records<sdk::ComponentHealth>& components)
{
	std::string missing;
	auto add = [&missing](const std::string& what) { missing += (missing.empty() ? "" : ", ") + what; };
	bool starting = false;
	for (const auto& p: sdk::each(plugins))
	{
		if (failedPlugin(p))
			add("plugin " + p.name + " " + p.state);
		starting = starting || p.state == "opened" || p.state == "loaded";
	}
	for (const auto& c: sdk::each(components))
		if (c.health != sdk::Health::Healthy)
			add(c.name + " " + sdk::healthName(c.health) + (c.detail.empty() ? "" : " (" + c.detail + ")"));
	if (starting || (!ready && missing.empty()))
		return {"starting", "The service is starting"};
	if (!missing.empty())
		return {"partial", "Running without: " + missing};
	return {"ready", "All components are running"};
}

} // namespace camsvc::metrics
