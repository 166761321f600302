//
// DaemonStart.h
//
// --daemon: detach from the terminal (double fork, setsid, chdir("/")) with
// the process that was started waiting until the daemon is up or has failed,
// so a start that fails is never silent (as sshd and nginx do it). The
// waiting process exits 0 once the daemon reports ready, or with the daemon's
// own exit code; the daemon's error lines reach the same standard error,
// which the daemon keeps until it is ready or has failed.
//

#ifndef CAMSVC_CORE_DAEMONSTART_H
#define CAMSVC_CORE_DAEMONSTART_H

namespace camsvc::core {

class DaemonStart
{
public:
	DaemonStart() = default;
	~DaemonStart();

	DaemonStart(const DaemonStart&) = delete;
	DaemonStart& operator=(const DaemonStart&) = delete;

	void detach();
		/// Call single-threaded, before anything starts a thread. Returns in the
		/// daemon only; the process that called it and the intermediate one exit
		/// with the start's outcome: 0 when ready, the daemon's exit code when it
		/// reports a failure, the exit code (or 128+signal, with a line on
		/// standard error) when it ends without reporting.

	bool detached() const { return _report >= 0; }

	void ready();
		/// The daemon is serving: the waiting process exits 0, standard input,
		/// output and error become /dev/null.

	void failed(int exitCode);
		/// The start failed with exitCode (its lines already written to standard
		/// error): the waiting process exits with it. Standard input, output and
		/// error become /dev/null.

private:
	void report(unsigned char outcome);

	int _report = -1; // write end of the pipe to the waiting process
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_DAEMONSTART_H
