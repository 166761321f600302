//
// CpuTime.h
//
// CPU time for benchmarks: this process's, another process's (from
// /proc/<pid>/stat), and a process's CPU use over a wait, in % of one core.
//

#ifndef CAMSVC_TEST_CPUTIME_H
#define CAMSVC_TEST_CPUTIME_H

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

namespace camsvc::test {

inline double processCpuSeconds()
{
	timespec t{};
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

inline double cpuSecondsOf(pid_t pid)
	/// utime + stime of a process, from /proc/<pid>/stat.
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
	std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	std::size_t at = text.rfind(')');
	std::istringstream fields(text.substr(at + 2));
	std::string skip;
	for (int i = 3; i < 14; ++i)
		fields >> skip;
	double utime = 0, stime = 0;
	fields >> utime >> stime;
	return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline double serverCpuPercent(pid_t pid, int seconds)
	/// The process's CPU use over the next seconds, in % of one core.
{
	double before = cpuSecondsOf(pid);
	std::this_thread::sleep_for(std::chrono::seconds(seconds)); // the interval measured, not a wait for an event
	return (cpuSecondsOf(pid) - before) / seconds * 100.0;
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_CPUTIME_H
