//
// DaemonStart.cpp
//
// Three processes: the one started (it waits for the intermediate and exits
// with its status), the intermediate (setsid: a session of its own, without a
// terminal; it waits for one byte from the daemon, or for the daemon to end),
// and the daemon (not a session leader, so it can never acquire a terminal).
//

#include "app/DaemonStart.h"
#include <Poco/Util/Application.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace camsvc::core {

namespace {

int waitFor(pid_t pid)
	/// The exit code the shell would show: the status, or 128+signal.
{
	int status = 0;
	while (::waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
			return Poco::Util::Application::EXIT_OSERR;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void complain(const std::string& line)
{
	std::string text = "camera-service: " + line + "\n";
	ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
	(void) written;
}

[[noreturn]] void awaitDaemon(pid_t daemon, int reportFd)
	/// The intermediate process: exits with what the daemon reports, or with
	/// how it ended when it ends without a report (killed, crashed).
{
	unsigned char outcome = 0;
	ssize_t n;
	do
		n = ::read(reportFd, &outcome, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		::_exit(outcome);
	int status = 0;
	while (::waitpid(daemon, &status, 0) < 0 && errno == EINTR)
	{
	}
	if (WIFSIGNALED(status))
	{
		complain("the daemon (pid " + std::to_string(daemon) + ") was killed by signal " + std::to_string(WTERMSIG(status)) +
			" (" + ::strsignal(WTERMSIG(status)) + ") before it was ready");
		::_exit(128 + WTERMSIG(status));
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	complain("the daemon (pid " + std::to_string(daemon) + ") exited with status " + std::to_string(code) +
		" before it was ready");
	::_exit(code != 0 ? code : Poco::Util::Application::EXIT_SOFTWARE);
}

[[noreturn]] void cannotStart(const char* what)
{
	complain(std::string("cannot start the daemon: ") + what + ": " + std::strerror(errno));
	::_exit(Poco::Util::Application::EXIT_OSERR);
}

pid_t forkOrExit()
{
	pid_t pid = ::fork();
	if (pid < 0)
		cannotStart("fork");
	return pid;
}

void toDevNull()
{
	int fd = ::open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	for (int target: {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
		::dup2(fd, target);
	if (fd > STDERR_FILENO)
		::close(fd);
}

} // namespace

DaemonStart::~DaemonStart()
{
	if (_report >= 0)
		::close(_report);
}

void DaemonStart::detach()
{
	std::cout.flush();
	std::cerr.flush();
	std::fflush(nullptr);
	int pipeFds[2];
	if (::pipe2(pipeFds, O_CLOEXEC) != 0)
		cannotStart("pipe");
	pid_t intermediate = forkOrExit();
	if (intermediate > 0)
	{
		::close(pipeFds[0]);
		::close(pipeFds[1]);
		::_exit(waitFor(intermediate));
	}
	::setsid();
	pid_t daemon = forkOrExit();
	if (daemon > 0)
	{
		::close(pipeFds[1]);
		awaitDaemon(daemon, pipeFds[0]);
	}
	::close(pipeFds[0]);
	_report = pipeFds[1];
	::signal(SIGPIPE, SIG_IGN); // the waiting process gone: the report fails, the daemon goes on
	if (::chdir("/") != 0)
		complain(std::string("chdir /: ") + std::strerror(errno));
	int fd = ::open("/dev/null", O_RDONLY);
	if (fd >= 0)
	{
		::dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			::close(fd);
	}
}

void DaemonStart::ready()
{
	report(0);
}

void DaemonStart::failed(int exitCode)
{
	report(static_cast<unsigned char>(exitCode != 0 ? exitCode : Poco::Util::Application::EXIT_SOFTWARE));
}

void DaemonStart::report(unsigned char outcome)
{
	if (_report < 0)
		return;
	std::cout.flush();
	std::cerr.flush();
	std::fflush(nullptr);
	ssize_t n;
	do
		n = ::write(_report, &outcome, 1);
	while (n < 0 && errno == EINTR);
	::close(_report);
	_report = -1;
	toDevNull();
}

} // namespace camsvc::core
