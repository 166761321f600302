#include "ProcessStats.h"
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace camsvc::metrics {

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

std::vector<std::string> statFields()
	/// /proc/self/stat fields; [0] is field 3 (state). The command name
	/// before them may contain spaces, so parsing starts after its ')'.
{
	std::ifstream in("/proc/self/stat");
	std::string stat;
	std::getline(in, stat);
	std::istringstream fields(stat.substr(stat.rfind(')') + 2));
	std::vector<std::string> result;
	std::string f;
	while (fields >> f)
		result.push_back(f);
	return result;
}

double statSeconds(const std::vector<std::string>& fields, int field)
{
	std::size_t i = static_cast<std::size_t>(field - 3);
	return i < fields.size() ? static_cast<double>(std::stoull(fields[i])) / static_cast<double>(::sysconf(_SC_CLK_TCK)) : 0.0;
}

double cpuSeconds()
{
	auto fields = statFields();
	return statSeconds(fields, 14) + statSeconds(fields, 15); // utime + stime
}

double processAgeSeconds()
{
	double uptime = 0;
	std::ifstream up("/proc/uptime");
	up >> uptime;
	return uptime - statSeconds(statFields(), 22); // starttime
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

} // namespace camsvc::metrics
