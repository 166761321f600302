//
// Introspection.h
//
// The core's implementation of sdk::ServerIntrospection over its registries.
//

#ifndef CAMSVC_CORE_INTROSPECTION_H
#define CAMSVC_CORE_INTROSPECTION_H

#include "camsvc/sdk/Introspection.h"
#include "events/EventBus.h"
#include "metrics/CoreMetrics.h"
#include "metrics/MetricsRegistry.h"
#include "plugin/PluginManager.h"
#include "rpc/MethodRegistry.h"
#include "services/FeatureRegistry.h"
#include "services/HealthRegistry.h"

namespace camsvc::core {

class Introspection: public sdk::ServerIntrospection
{
public:
	Introspection(const CoreMetrics& metrics, const MethodRegistry& methods, const PluginManager& plugins,
		const HealthRegistry& health, const MetricsRegistry& pluginMetrics, const EventBus& events, const FeatureRegistry& features);

	std::shared_ptr<const sdk::ServerCounters> counters() const override;
	sdk::Records<sdk::MethodFigures> methods() const override;
	sdk::Records<sdk::PluginStatus> plugins() const override;
	sdk::Records<sdk::ComponentHealth> components() const override;
	sdk::Health overallHealth() const override;
	bool ready() const override;
	sdk::Records<sdk::PluginMetric> pluginMetrics() const override;
	std::map<std::string, std::string> notifications() const override;
	std::map<std::string, std::vector<std::string>> features() const override;

	static std::string buildInfo();

private:
	const CoreMetrics& _metrics;
	const MethodRegistry& _methods;
	const PluginManager& _plugins;
	const HealthRegistry& _health;
	const MetricsRegistry& _pluginMetrics;
	const EventBus& _events;
	const FeatureRegistry& _features;
	const Poco::Timestamp _startedAt;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_INTROSPECTION_H
