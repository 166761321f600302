#include "metrics/MetricsRegistry.h"
#include <stdexcept>

namespace camsvc {
namespace core {

void MetricsRegistry::checkName(const std::string& name)
{
	if (name.empty())
		throw std::invalid_argument("metric name is empty");
	for (char c: name)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			throw std::invalid_argument("metric name '" + name + "' must match [a-z0-9_]+");
}

sdk::Counter& MetricsRegistry::counter(const std::string& name, const std::string& help)
{
	checkName(name);
	std::lock_guard lock(_mutex);
	if (_gauges.count(name))
		throw std::invalid_argument("metric " + name + " is a gauge");
	auto& entry = _counters[name];
	if (!entry.second)
		entry = {help, std::make_unique<sdk::Counter>()};
	return *entry.second;
}

sdk::Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help)
{
	checkName(name);
	std::lock_guard lock(_mutex);
	if (_counters.count(name))
		throw std::invalid_argument("metric " + name + " is a counter");
	auto& entry = _gauges[name];
	if (!entry.second)
		entry = {help, std::make_unique<sdk::Gauge>()};
	return *entry.second;
}

void MetricsRegistry::forEachCounter(const std::function<void(const std::string&, const std::string&, std::uint64_t)>& fn) const
{
	std::lock_guard lock(_mutex);
	for (const auto& [name, entry]: _counters)
		fn(name, entry.first, entry.second->value());
}

void MetricsRegistry::forEachGauge(const std::function<void(const std::string&, const std::string&, std::int64_t)>& fn) const
{
	std::lock_guard lock(_mutex);
	for (const auto& [name, entry]: _gauges)
		fn(name, entry.first, entry.second->value());
}

} } // namespace camsvc::core
