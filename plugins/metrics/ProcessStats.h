//
// ProcessStats.h
//
// The process's own resource use, from /proc and malloc: what get_metrics
// and /metrics report as memory_usage, cpu_usage, goroutines (threads) and
// heap_alloc.
//

#ifndef CAMSVC_METRICS_PROCESSSTATS_H
#define CAMSVC_METRICS_PROCESSSTATS_H

#include <chrono>
#include <cstdint>
#include <mutex>

namespace camsvc::metrics {

struct ProcessSample
{
	std::uint64_t residentBytes = 0;
	std::uint64_t machineMemoryBytes = 0;
	double memoryPercent = 0;     // resident / machine memory
	double cpuSeconds = 0;        // user + system since start
	double cpuPercent = 0;        // of the whole machine (all cores), since the previous sample
	int threads = 0;
	std::uint64_t heapBytes = 0;  // bytes allocated through malloc and in use
	int cores = 1;
};

class ProcessStats
	/// Thread-safe. cpuPercent compares with the previous sample (at least
	/// 0.5 s old); the first sample averages since the process started.
{
public:
	ProcessStats();
	ProcessSample sample();

private:
	std::mutex _mutex;
	std::chrono::steady_clock::time_point _lastTime;
	double _lastCpu = 0;
	double _lastPercent = 0;
	bool _primed = false;
};

} // namespace camsvc::metrics

#endif // CAMSVC_METRICS_PROCESSSTATS_H
