//
// MetricsRegistry.h
//
// Named counters and gauges plugins add through the SDK. Lookup by name
// takes a lock; the returned references are then used lock-free.
//

#ifndef CAMSVC_CORE_METRICSREGISTRY_H
#define CAMSVC_CORE_METRICSREGISTRY_H

#include "camsvc/sdk/Metrics.h"
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace camsvc::core {

class MetricsRegistry
{
public:
	sdk::Counter& counter(const std::string& name, const std::string& help);
	sdk::Gauge& gauge(const std::string& name, const std::string& help);
		/// Throws std::invalid_argument for a name outside [a-z0-9_] or used by the other kind.

	void forEachCounter(const std::function<void(const std::string&, const std::string&, std::uint64_t)>& fn) const;
	void forEachGauge(const std::function<void(const std::string&, const std::string&, std::int64_t)>& fn) const;

private:
	static void checkName(const std::string& name);

	mutable std::mutex _mutex;
	std::map<std::string, std::pair<std::string, std::unique_ptr<sdk::Counter>>> _counters;
	std::map<std::string, std::pair<std::string, std::unique_ptr<sdk::Gauge>>> _gauges;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_METRICSREGISTRY_H
