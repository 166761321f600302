#include "support/ChildProcess.h"
#include "support/WaitUntil.h"
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace camsvc::test {

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string logFile, std::map<std::string, std::string> environment):
	_logFile(std::move(logFile))
{
	_pid = ::fork();
	if (_pid < 0)
		throw std::runtime_error("fork failed");
	if (_pid == 0)
	{
		int fd = ::open(_logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0)
		{
			::dup2(fd, 1);
			::dup2(fd, 2);
			::close(fd);
		}
		int devnull = ::open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			::dup2(devnull, 0);
		for (const auto& [name, value]: environment)
			::setenv(name.c_str(), value.c_str(), 1);
		std::vector<char*> args;
		for (auto& a: argv)
			args.push_back(a.data());
		args.push_back(nullptr);
		::execvp(args[0], args.data());
		::_exit(127);
	}
}

ChildProcess::~ChildProcess()
{
	if (running())
		stop(SIGKILL, 5000);
}

bool ChildProcess::reap(bool block)
{
	if (_exitStatus != -1 || _pid <= 0)
		return true;
	int status = 0;
	if (::waitpid(_pid, &status, block ? 0 : WNOHANG) != _pid)
		return false;
	_exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return true;
}

bool ChildProcess::running()
{
	return !reap(false);
}

int ChildProcess::stop(int signal, int timeoutMs)
{
	if (reap(false))
		return _exitStatus;
	if (signal)
		::kill(_pid, signal);
	if (waitUntil([this] { return reap(false); }, timeoutMs))
		return _exitStatus;
	::kill(_pid, SIGKILL);
	reap(true);
	return -1;
}

std::string ChildProcess::output() const
{
	std::ifstream in(_logFile);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace camsvc::test
