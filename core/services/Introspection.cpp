#include "services/Introspection.h"
#include "camsvc/sdk/Version.h"

namespace camsvc::core {

Introspection::Introspection(const CoreMetrics& metrics, const MethodRegistry& methods, const PluginManager& plugins,
	const HealthRegistry& health, const MetricsRegistry& pluginMetrics, const EventBus& events, const FeatureRegistry& features):
	_metrics(metrics), _methods(methods), _plugins(plugins), _health(health), _pluginMetrics(pluginMetrics), _events(events),
	_features(features)
{
}

std::string Introspection::buildInfo()
{
	return std::string("camera-service ") + CAMSVC_VERSION + " (" CAMSVC_SDK_ABI_FINGERPRINT ", SDK "
		CAMSVC_SDK_STRINGIFY(CAMSVC_SDK_VERSION_MAJOR) "." CAMSVC_SDK_STRINGIFY(CAMSVC_SDK_VERSION_MINOR) ", built " __DATE__ ")";
}

std::shared_ptr<const sdk::ServerCounters> Introspection::counters() const
{
	auto counters = std::make_shared<sdk::ServerCounters>();
	auto& c = *counters;
	c.version = CAMSVC_VERSION;
	c.buildInfo = buildInfo();
	c.startedAt = _startedAt;
	c.connectionsActive = _metrics.connectionsCurrent.value();
	c.connectionsTotal = _metrics.connectionsTotal.value();
	c.connectionsClosedSlow = _metrics.connectionsClosedSlow.value();
	c.connectionsClosedIdle = _metrics.connectionsClosedIdle.value();
	c.requestsTotal = _metrics.requestsTotal.value();
	c.requestErrors = _metrics.requestErrors.value();
	c.requestLatencyMicros = _metrics.requestLatencyMicros.value();
	c.unknownMethodCalls = _metrics.unknownMethodCalls.value();
	c.invalidMessages = _metrics.invalidMessages.value();
	c.notificationsSent = _metrics.notificationsSent.value();
	c.notificationsDropped = _metrics.notificationsDropped.value();
	c.bytesIn = _metrics.bytesIn.value();
	c.bytesOut = _metrics.bytesOut.value();
	return counters;
}

sdk::Records<sdk::MethodFigures> Introspection::methods() const
{
	sdk::Records<sdk::MethodFigures> result;
	for (const auto& m: _methods.all())
	{
		auto figures = std::make_shared<sdk::MethodFigures>();
		auto& f = *figures;
		f.spec = m->spec;
		f.owner = m->owner;
		f.calls = m->stats->calls.load(std::memory_order_relaxed);
		f.errors = m->stats->errors.load(std::memory_order_relaxed);
		f.sumMicros = m->stats->sumMicros.load(std::memory_order_relaxed);
		f.bucketBoundsMicros.assign(MethodStats::BucketBounds.begin(), MethodStats::BucketBounds.end());
		for (const auto& b: m->stats->buckets)
			f.bucketCounts.push_back(b.load(std::memory_order_relaxed));
		result.push_back(std::move(figures));
	}
	return result;
}

sdk::Records<sdk::PluginStatus> Introspection::plugins() const
{
	static const char* states[] = {"rejected", "opened", "loaded", "started", "failed", "stopped"};
	sdk::Records<sdk::PluginStatus> result;
	for (const auto& r: _plugins.records())
		result.push_back(std::make_shared<sdk::PluginStatus>(
			sdk::PluginStatus{r.name, r.version, r.description, states[static_cast<int>(r.state)], r.error}));
	return result;
}

sdk::Records<sdk::ComponentHealth> Introspection::components() const
{
	sdk::Records<sdk::ComponentHealth> result;
	for (auto& c: _health.list())
		result.push_back(std::make_shared<sdk::ComponentHealth>(std::move(c)));
	return result;
}

sdk::Health Introspection::overallHealth() const
{
	return _health.overall();
}

bool Introspection::ready() const
{
	return _health.ready();
}

sdk::Records<sdk::PluginMetric> Introspection::pluginMetrics() const
{
	sdk::Records<sdk::PluginMetric> result;
	_pluginMetrics.forEachCounter([&](const std::string& n, const std::string& h, std::uint64_t v) {
		result.push_back(std::make_shared<sdk::PluginMetric>(sdk::PluginMetric{n, h, true, static_cast<std::int64_t>(v)}));
	});
	_pluginMetrics.forEachGauge([&](const std::string& n, const std::string& h, std::int64_t v) {
		result.push_back(std::make_shared<sdk::PluginMetric>(sdk::PluginMetric{n, h, false, v}));
	});
	return result;
}

std::map<std::string, std::string> Introspection::notifications() const
{
	return _events.topics();
}

std::map<std::string, std::vector<std::string>> Introspection::features() const
{
	return _features.all();
}

} // namespace camsvc::core
