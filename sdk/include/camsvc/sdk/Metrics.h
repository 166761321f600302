//
// Metrics.h
//
// Counters and gauges a plugin adds to the service's metrics (get_metrics,
// Prometheus /metrics). Lock-free: safe and cheap on any thread.
//

#ifndef CAMSVC_SDK_METRICS_H
#define CAMSVC_SDK_METRICS_H

#include <atomic>
#include <cstdint>

namespace camsvc {
namespace sdk {

class Counter
	/// A monotonically increasing count. Owned by the host; a reference stays
	/// valid until the process exits.
{
public:
	void inc(std::uint64_t n = 1) { _value.fetch_add(n, std::memory_order_relaxed); }
	std::uint64_t value() const { return _value.load(std::memory_order_relaxed); }

private:
	std::atomic<std::uint64_t> _value{0};
};

class Gauge
	/// A value that goes up and down. Owned by the host; a reference stays
	/// valid until the process exits.
{
public:
	void set(std::int64_t v) { _value.store(v, std::memory_order_relaxed); }
	void add(std::int64_t d) { _value.fetch_add(d, std::memory_order_relaxed); }
	std::int64_t value() const { return _value.load(std::memory_order_relaxed); }

private:
	std::atomic<std::int64_t> _value{0};
};

enum class Health { Healthy, Degraded, Unhealthy };

inline const char* healthName(Health h)
{
	switch (h)
	{
	case Health::Healthy:  return "healthy";
	case Health::Degraded: return "degraded";
	default:               return "unhealthy";
	}
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_METRICS_H
