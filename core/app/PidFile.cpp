//
// PidFile.cpp
//
// The lock is what decides: the content is only read to name the holder in
// the refusal, and to recognise a live camera-service that holds no lock.
//

#include "app/PidFile.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Util/Application.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace camsvc::core {

namespace {

using App = Poco::Util::Application;

std::string programName(const std::string& path)
	/// The file name of an executable path, without the " (deleted)" the
	/// kernel appends once the binary was replaced on disk.
{
	std::string name = path.substr(path.rfind('/') + 1);
	const std::string deleted = " (deleted)";
	if (name.size() > deleted.size() && name.compare(name.size() - deleted.size(), deleted.size(), deleted) == 0)
		name.resize(name.size() - deleted.size());
	return name;
}

std::string executableOf(const std::string& pid)
{
	char buffer[4096];
	ssize_t n = ::readlink(("/proc/" + pid + "/exe").c_str(), buffer, sizeof(buffer) - 1);
	if (n > 0)
		return std::string(buffer, static_cast<std::size_t>(n));
	std::ifstream cmdline("/proc/" + pid + "/cmdline"); // argv[0], NUL-terminated
	std::string argv0;
	std::getline(cmdline, argv0, '\0');
	return argv0;
}

pid_t readPid(int fd)
{
	char buffer[32] = {};
	ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
	if (n <= 0)
		return 0;
	int pid = 0;
	if (!Poco::NumberParser::tryParse(Poco::trim(std::string(buffer, static_cast<std::size_t>(n))), pid) || pid <= 0)
		return 0;
	return static_cast<pid_t>(pid);
}

bool alive(pid_t pid)
{
	return ::kill(pid, 0) == 0 || errno == EPERM;
}

} // namespace

PidFile::PidFile(std::string path): _path(std::move(path))
{
}

PidFile::~PidFile()
{
	if (_claimed)
		::unlink(_path.c_str()); // while still locked: a start waiting on this file sees it gone
	if (_fd >= 0)
		::close(_fd);
}

bool PidFile::isCameraService(pid_t pid)
{
	if (pid <= 0 || !alive(pid))
		return false;
	std::string self = executableOf("self");
	std::string other = executableOf(std::to_string(pid));
	return !other.empty() && programName(other) == programName(self);
}

int PidFile::claim(Poco::Logger& log)
{
	int rc = openLocked(log);
	if (rc == App::EXIT_OK)
		rc = refuseIfRunning(log);
	if (rc == App::EXIT_OK)
		rc = writePid(log);
	return rc;
}

int PidFile::openLocked(Poco::Logger& log)
{
	for (int attempt = 0; attempt < 10; ++attempt)
	{
		// O_NOFOLLOW, and a regular file only: a symlink planted in a shared
		// directory cannot make the service write elsewhere.
		_fd = ::open(_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		struct stat opened{};
		if (_fd < 0 || ::fstat(_fd, &opened) != 0 || !S_ISREG(opened.st_mode))
		{
			log.fatal("cannot create pid file %s: %s", _path, std::string(_fd < 0 ? std::strerror(errno) : "not a regular file"));
			return App::EXIT_CANTCREAT;
		}
		if (::flock(_fd, LOCK_EX | LOCK_NB) != 0)
		{
			if (errno != EWOULDBLOCK)
			{
				log.fatal("cannot lock pid file %s: %s", _path, std::string(std::strerror(errno)));
				return App::EXIT_CANTCREAT;
			}
			// The holder writes its pid right after taking the lock.
			pid_t holder = readPid(_fd);
			for (int i = 0; i < 100 && holder == 0; ++i)
			{
				std::this_thread::sleep_for(std::chrono::milliseconds(10));
				holder = readPid(_fd);
			}
			log.fatal("already running, pid %s (pid file %s is locked)", holder ? std::to_string(holder) : std::string("unknown"), _path);
			return App::EXIT_TEMPFAIL;
		}
		// Locked; but its owner may have removed the file between our open()
		// and flock(): then this lock is on a file nobody else sees, try again.
		struct stat named{};
		if (::stat(_path.c_str(), &named) == 0 && named.st_ino == opened.st_ino && named.st_dev == opened.st_dev)
			return App::EXIT_OK;
		::close(_fd);
		_fd = -1;
	}
	log.fatal("cannot lock pid file %s: it keeps being replaced", _path);
	return App::EXIT_CANTCREAT;
}

int PidFile::refuseIfRunning(Poco::Logger& log)
{
	pid_t previous = readPid(_fd);
	if (previous == 0 || previous == ::getpid())
		return App::EXIT_OK;
	if (isCameraService(previous))
	{
		// Alive, unlocked: a camera-service that was started without this
		// lock. Refused all the same; the file stays as it is.
		log.fatal("already running, pid %d (pid file %s)", static_cast<int>(previous), _path);
		return App::EXIT_TEMPFAIL;
	}
	log.warning("replacing stale pid file %s: pid %d %s", _path, static_cast<int>(previous),
		std::string(alive(previous) ? "is not a camera-service process" : "is not running"));
	return App::EXIT_OK;
}

int PidFile::writePid(Poco::Logger& log)
{
	std::string line = std::to_string(::getpid()) + "\n";
	_claimed = true; // from here on, ours to remove
	if (::ftruncate(_fd, 0) != 0 || ::pwrite(_fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size()) ||
		::fchmod(_fd, 0644) != 0)
	{
		log.fatal("cannot write pid file %s: %s", _path, std::string(std::strerror(errno)));
		return App::EXIT_CANTCREAT;
	}
	return App::EXIT_OK;
}

} // namespace camsvc::core
