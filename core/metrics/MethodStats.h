//
// MethodStats.h
//
// Per-method call counts and a latency histogram, updated with relaxed
// atomics on every call (no locks on the request path).
//

#ifndef CAMSVC_CORE_METHODSTATS_H
#define CAMSVC_CORE_METHODSTATS_H

#include <array>
#include <atomic>
#include <cstdint>

namespace camsvc::core {

struct MethodStats
{
	// Upper bounds of the latency buckets, in microseconds (+Inf implied).
	static constexpr std::array<std::uint64_t, 14> BucketBounds = {
		50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000, 5000000};

	std::atomic<std::uint64_t> calls{0};
	std::atomic<std::uint64_t> errors{0};
	std::atomic<std::uint64_t> sumMicros{0};
	std::array<std::atomic<std::uint64_t>, BucketBounds.size() + 1> buckets{}; // not cumulative; last = +Inf

	void record(std::uint64_t micros, bool error)
	{
		calls.fetch_add(1, std::memory_order_relaxed);
		if (error)
			errors.fetch_add(1, std::memory_order_relaxed);
		sumMicros.fetch_add(micros, std::memory_order_relaxed);
		std::size_t i = 0;
		while (i < BucketBounds.size() && micros > BucketBounds[i])
			++i;
		buckets[i].fetch_add(1, std::memory_order_relaxed);
	}
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_METHODSTATS_H
