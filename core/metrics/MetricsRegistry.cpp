#include "metrics/MetricsRegistry.h"
#include <stdexcept>

namespace camsvc::core {

void MetricsRegistry::checkName(const std::string& name)
{
	if (name.empty())
		throw std::invalid_argument("metric name is empty");
	for (char c: name)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			throw std::invalid_argument("metric name '" + name + "' must match [a-z0-9_]+");
}

namespace {

template <class Metric, class Own, class Other>
Metric& entryOf(Own& own, const Other& other, const std::string& name, const std::string& help, const char* otherKind)
	/// The metric called name in own, made on first use; one name is one kind.
{
	if (other.count(name))
		throw std::invalid_argument("metric " + name + " is a " + otherKind);
	auto& entry = own[name];
	if (!entry.second)
		entry = {help, std::make_unique<Metric>()};
	return *entry.second;
}

} // namespace

sdk::Counter& MetricsRegistry::counter(const std::string& name, const std::string& help)
{
	checkName(name);
	std::lock_guard lock(_mutex);
	return entryOf<sdk::Counter>(_counters, _gauges, name, help, "gauge");
}

sdk::Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help)
{
	checkName(name);
	std::lock_guard lock(_mutex);
	return entryOf<sdk::Gauge>(_gauges, _counters, name, help, "counter");
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

} // namespace camsvc::core
