//
// ChildProcess.h
//
// A program the test starts (the server, an ffmpeg peer), with its output in
// a log file; killed and reaped when the object goes away.
//

#ifndef CAMSVC_TEST_CHILDPROCESS_H
#define CAMSVC_TEST_CHILDPROCESS_H

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace camsvc::test {

class ChildProcess
{
public:
	ChildProcess(std::vector<std::string> argv, std::string logFile, std::map<std::string, std::string> environment = {});
		/// argv[0] is a path, or a program name looked up in PATH; environment
		/// is set (over what the test inherits) in the child only.
	~ChildProcess();

	ChildProcess(const ChildProcess&) = delete;
	ChildProcess& operator=(const ChildProcess&) = delete;

	pid_t pid() const { return _pid; }
	bool running();
	int stop(int signal = 15, int timeoutMs = 10000);
		/// Sends signal (0: just wait) and waits; the exit status (WEXITSTATUS,
		/// or 128+signal). After the timeout it is SIGKILLed and -1 returned.
	int exitStatus() const { return _exitStatus; }
	std::string output() const;
		/// The log file's content.

private:
	bool reap(bool block);

	pid_t _pid = -1;
	int _exitStatus = -1;
	std::string _logFile;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_CHILDPROCESS_H
