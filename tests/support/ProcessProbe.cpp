#include "support/ProcessProbe.h"
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>

namespace camsvc::test {

long residentKiB(pid_t pid)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/statm"); // size resident shared ... in pages
	long size = 0, resident = -1;
	if (!(in >> size >> resident))
		return -1;
	return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

double cpuSeconds(pid_t pid)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
	std::string text((std::istreambuf_iterator<char>(in)), {});
	std::size_t end = text.rfind(')'); // the command name may hold spaces
	if (end == std::string::npos)
		return 0;
	std::istringstream fields(text.substr(end + 2));
	std::string field;
	double ticks = 0;
	for (int i = 3; i <= 15 && fields >> field; ++i) // fields 14 and 15: utime, stime
		if (i >= 14)
			ticks += std::stod(field);
	return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

} // namespace camsvc::test
