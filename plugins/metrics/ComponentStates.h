//
// ComponentStates.h
//
// The component words existing dashboards read from get_status.components
// (RUNNING, STOPPED, ERROR, STARTING, STOPPING) and the summary that
// get_system_status gives viewers, both derived from what the core knows
// (plugin states, component health): nothing here is asked of a component.
//

#ifndef CAMSVC_METRICS_COMPONENTSTATES_H
#define CAMSVC_METRICS_COMPONENTSTATES_H

#include "camsvc/sdk/Introspection.h"
#include <Poco/JSON/Object.h>
#include <string>
#include <vector>

namespace camsvc::metrics {

Poco::JSON::Object::Ptr componentStates(const sdk::Records<sdk::PluginStatus>& plugins,
	const sdk::Records<sdk::ComponentHealth>& components);
	/// {websocket_server, camera_monitor (plugin cameras), mediamtx, and every
	/// component that reports health: word}. websocket_server is RUNNING: the
	/// call was answered through it.

struct SystemSummary
{
	std::string status;  // "starting", "partial", "ready"
	std::string message; // one human sentence: what is missing, if anything
};

SystemSummary systemSummary(bool ready, const sdk::Records<sdk::PluginStatus>& plugins,
	const sdk::Records<sdk::ComponentHealth>& components);
	/// starting: the service is not ready yet (plugins starting, or a
	/// component unhealthy before start-up finished); partial: running with a
	/// plugin failed or a component degraded/unhealthy; ready otherwise.

} // namespace camsvc::metrics

#endif // CAMSVC_METRICS_COMPONENTSTATES_H
