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
#include <sstream>
#include <string>
#include <sys/types.h>

namespace camsvc::test {

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

struct TcpQueues
	/// The server side of the TCP connections on one local port (/proc/net/tcp
	/// and tcp6): how many are open (established or closed by the peer but
	/// not yet by the server) and how many received bytes the server has
	/// not read yet; whether it is listening.
{
	int open = 0;
	long unread = 0;
	bool listening = false; ///< something listens on the port
};

inline TcpQueues tcpQueues(int port)
{
	TcpQueues q;
	for (const char* table: {"/proc/net/tcp", "/proc/net/tcp6"})
	{
		std::ifstream in(table);
		std::string line;
		std::getline(in, line); // the header
		while (std::getline(in, line))
		{
			std::istringstream fields(line);
			std::string slot, local, remote, state, queues;
			if (!(fields >> slot >> local >> remote >> state >> queues))
				continue;
			if (std::stoi(local.substr(local.rfind(':') + 1), nullptr, 16) != port)
				continue;
			if (state == "0A") // LISTEN
				q.listening = true;
			if (state != "01" && state != "08") // ESTABLISHED, CLOSE_WAIT
				continue;
			++q.open;
			q.unread += std::stol(queues.substr(queues.find(':') + 1), nullptr, 16);
		}
	}
	return q;
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_PROCSTATUS_H
