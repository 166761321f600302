//
// SystemdNotify.h
//
// The service manager's notification protocol (sd_notify(3)) without
// libsystemd: one datagram to $NOTIFY_SOCKET per state change. With
// Type=notify the unit becomes "active" only once the port is bound and the
// plugins run, a start that fails is a failed start, and a SIGHUP reload is
// shown as reloading until the new configuration is applied. With
// WatchdogSec= the manager restarts a service that stops saying WATCHDOG=1;
// the service says it only while its I/O loops turn. Without NOTIFY_SOCKET
// (run by hand, another init) it does nothing.
//

#ifndef CAMSVC_CORE_SYSTEMDNOTIFY_H
#define CAMSVC_CORE_SYSTEMDNOTIFY_H

#include <chrono>
#include <string>

namespace camsvc::core {

class SystemdNotify
{
public:
	SystemdNotify();
		/// Takes NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment
		/// and removes them there, so no process the service starts speaks for it.
		/// Call before any thread starts.

	bool enabled() const { return !_socket.empty(); }

	void ready(const std::string& status);
		/// READY=1 with MAINPID and a one-line STATUS.
	void reloading();
		/// RELOADING=1 with MONOTONIC_USEC (systemd >= 253 checks it); ready() ends it.
	void stopping();
		/// STOPPING=1: SIGTERM was taken, shutdown runs.

	std::chrono::microseconds watchdogInterval() const { return _watchdog; }
		/// WATCHDOG_USEC when it is meant for this process (WATCHDOG_PID unset or ours); 0: no watchdog.
	void watchdog();
		/// WATCHDOG=1: the service is alive. Every half interval at least.

	bool send(const std::string& message) const;
		/// One datagram; false when it could not be sent (logged at debug only:
		/// the manager going away never stops the service).

private:
	std::string _socket; // a path, or "\0name" for the abstract namespace ("@name")
	std::chrono::microseconds _watchdog{0};
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_SYSTEMDNOTIFY_H
