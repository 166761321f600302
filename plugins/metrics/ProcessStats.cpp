#include "ProcessStats.h"
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace camsvc {
namespace metrics {

namespace {

std::uint64_t statusField(const std::string& key)
{
	std::ifstream in("/proc/self/status");
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(key, 0) == 0)
			return std::stoull(line.substr(key.size()));
	return 0;
}

std::uint64_t machineMemory()
{
	std::ifstream in("/proc/meminfo");
	std::string key;
	std::uint64_t kb = 0;
	in >> key >> kb; // MemTotal: N kB
	return kb * 1024;
}

double cpuSeconds()
{
	std::ifstream in("/proc/self/stat");
	std::string stat;
	std::getline(in, stat);
	// Fields after the command name (which may contain spaces) start after ')'.
	std::istringstream fields(stat.substr(stat.rfind(')') + 2));
	std::string f;
	unsigned long long utime = 0, stime = 0;
	for (int i = 3; i <= 15 && fields >> f; ++i)
	{
		if (i == 14) utime = std::stoull(f);
		if (i == 15) stime = std::stoull(f);
	}
	return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double processAgeSeconds()
{
	std::ifstream in("/proc/self/stat");
	std::string stat;
	std::getline(in, stat);
	std::istringstream fields(stat.substr(stat.rfind(')') + 2));
	std::string f;
	unsigned long long start = 0;
	for (int i = 3; i <= 22 && fields >> f; ++i)
		if (i == 22) start = std::stoull(f);
	double uptime = 0;
	std::ifstream up("/proc/uptime");
	up >> uptime;
	return uptime - static_cast<double>(start) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

} // namespace

ProcessStats::ProcessStats()
{
}

ProcessSample ProcessStats::sample()
{
	ProcessSample s;
	s.cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
	s.residentBytes = statusField("VmRSS:") * 1024;
	s.threads = static_cast<int>(statusField("Threads:"));
	s.machineMemoryBytes = machineMemory();
	s.memoryPercent = s.machineMemoryBytes ? 100.0 * static_cast<double>(s.residentBytes) / static_cast<double>(s.machineMemoryBytes) : 0;
	s.heapBytes = mallinfo2().uordblks;
	s.cpuSeconds = cpuSeconds();

	std::lock_guard lock(_mutex);
	auto now = std::chrono::steady_clock::now();
	if (!_primed)
	{
		double age = processAgeSeconds();
		_lastPercent = age > 0 ? 100.0 * s.cpuSeconds / age / s.cores : 0;
		_primed = true;
		_lastTime = now;
		_lastCpu = s.cpuSeconds;
	}
	else
	{
		double wall = std::chrono::duration<double>(now - _lastTime).count();
		if (wall >= 0.5)
		{
			_lastPercent = 100.0 * (s.cpuSeconds - _lastCpu) / wall / s.cores;
			_lastTime = now;
			_lastCpu = s.cpuSeconds;
		}
	}
	s.cpuPercent = _lastPercent;
	return s;
}

} } // namespace camsvc::metrics
