//
// PidFile.h
//
// --pidfile=FILE: the running service's pid, one line, mode 0644. Claimed
// under an exclusive flock() held for the life of the process, so two starts
// racing cannot both win; a pid file naming a live camera-service refuses the
// start, a stale one (the pid is gone, or is another program) is replaced.
// Removed when the service exits.
//

#ifndef CAMSVC_CORE_PIDFILE_H
#define CAMSVC_CORE_PIDFILE_H

#include <Poco/Logger.h>
#include <string>
#include <sys/types.h>

namespace camsvc::core {

class PidFile
{
public:
	explicit PidFile(std::string path);
	~PidFile();
		/// Removes the file if this process claimed it.

	PidFile(const PidFile&) = delete;
	PidFile& operator=(const PidFile&) = delete;

	int claim(Poco::Logger& log);
		/// Writes this process's pid. EXIT_OK; EXIT_TEMPFAIL (75) when another
		/// camera-service holds it ("already running, pid N"); EXIT_CANTCREAT
		/// (73) when the file cannot be created, locked or written. Each
		/// failure is logged at fatal level.

	static bool isCameraService(pid_t pid);
		/// The process exists and runs the same program as this one
		/// (/proc/PID/exe, or argv[0] of /proc/PID/cmdline where exe is not readable).

private:
	int openLocked(Poco::Logger& log);
	int refuseIfRunning(Poco::Logger& log);
	int writePid(Poco::Logger& log);

	std::string _path;
	int _fd = -1;
	bool _claimed = false;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_PIDFILE_H
