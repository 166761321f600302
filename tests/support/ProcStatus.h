//
// ProcStatus.h
//
// What /proc says about the server under test: resident memory, threads,
// open descriptors.
//

#ifndef CAMSVC_TEST_PROCSTATUS_H
#define CAMSVC_TEST_PROCSTATUS_H

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/types.h>

namespace camsvc {
namespace test {

inline long procStatusValue(pid_t pid, const std::string& field)
	/// A number from /proc/<pid>/status ("VmRSS" in kB, "Threads"); -1 if absent.
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(field + ":", 0) == 0)
			return std::stol(line.substr(field.size() + 1));
	return -1;
}

inline long residentKb(pid_t pid) { return procStatusValue(pid, "VmRSS"); }
inline long threadCount(pid_t pid) { return procStatusValue(pid, "Threads"); }

inline long openDescriptors(pid_t pid)
{
	long count = 0;
	for (const auto& entry: std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
	{
		(void) entry;
		++count;
	}
	return count;
}

} } // namespace camsvc::test

#endif // CAMSVC_TEST_PROCSTATUS_H
