//
// ServiceApplication.h
//
// The camera-service process: options and configuration, logging, the
// plugin host, the transport, a reload on SIGHUP and an orderly shutdown on
// SIGTERM/SIGINT. The configuration is checked against the declarations of
// the core and the enabled plugins before anything starts (config/).
// --daemon and --pidfile are ours (DaemonStart, PidFile), not Poco's
// ServerApplication's: it daemonizes before the options are read, so a
// relative path or a failed start went unnoticed.
//

#ifndef CAMSVC_CORE_SERVICEAPPLICATION_H
#define CAMSVC_CORE_SERVICEAPPLICATION_H

#include "app/DaemonStart.h"
#include "app/PidFile.h"
#include "app/StartupErrorEcho.h"
#include "app/SystemdNotify.h"
#include "config/ServiceConfig.h"
#include "config/SwappableConfiguration.h"
#include "plugin/PluginManager.h"
#include <Poco/Util/Application.h>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace camsvc::core {

class ServiceApplication: public Poco::Util::Application
{
protected:
	void initialize(Poco::Util::Application& self) override;
	void defineOptions(Poco::Util::OptionSet& options) override;
	int main(const std::vector<std::string>& args) override;

private:
	int serve();
		/// Every step from the process set-up to the end of the shutdown; the exit code.
	int prepareProcess(std::string& stateDir, ServiceConfig& serviceConfig, PluginManager& plugins);
		/// Signal mask, logging, the configuration check, umask, file limit and
		/// the state directory; EXIT_OK or the exit code.
	int checkConfiguration(ServiceConfig& serviceConfig, PluginManager& plugins);
		/// Opens the enabled plugins, collects every declaration and checks the
		/// configuration (78 when invalid); --check-config and
		/// --print-declarations print here. EXIT_OK or the exit code.
	bool inspecting() const { return _checkConfig || _printDeclarations; }
		/// Read-only run: no log file, no state directory, no port.
	int claimPidFile();
		/// --pidfile: EXIT_OK, or why the start must stop (PidFile::claim()).
	void reportReady();
		/// The service is up: the waiting --daemon parent exits 0, errors stop
		/// going to stderr, the service manager (NOTIFY_SOCKET) is told READY=1.
	std::string servingStatus() const;
		/// The one-line STATUS the service manager shows while it serves.
	void runUntilStopped(ServiceConfig& serviceConfig, PluginManager& plugins, const std::function<std::chrono::milliseconds()>& ioStall);
		/// Blocks until SIGTERM, SIGINT or SIGQUIT; a SIGHUP meanwhile reloads the
		/// configuration; with a watchdog, feeds it while ioStall() stays short.
	void reload(ServiceConfig& serviceConfig, PluginManager& plugins);
	void feedWatchdog(std::chrono::milliseconds ioStall);
		/// WATCHDOG=1 unless an I/O loop has not turned for half the interval (then one error line).
	void handleHelp(const std::string& name, const std::string& value);
	void handleConfig(const std::string& name, const std::string& value);
	void handleDefine(const std::string& name, const std::string& value);
	void handleDaemon(const std::string& name, const std::string& value);
	void handlePidFile(const std::string& name, const std::string& value);
	void handleUmask(const std::string& name, const std::string& value);
	void handleCheckConfig(const std::string& name, const std::string& value);
	void handlePrintDeclarations(const std::string& name, const std::string& value);

	bool _helpRequested = false;
	std::string _configFile;     // absolute
	std::string _configFileAsGiven; // what problem lines name
	SwappableConfiguration::Ptr _fileLayer; // the file's keys; a reload (SIGHUP) swaps them
	std::map<std::string, std::string> _defines; // --define (and --umask) overrides: stay on top across reloads
	bool _checkConfig = false;       // --check-config: validate, print, exit
	bool _printDeclarations = false; // --print-declarations: the declarations as JSON, exit
	std::string _startDirectory; // the working directory at start: what relative paths are relative to (also on reload)
	bool _daemon = false;
	std::string _pidFilePath;    // absolute; empty: no pid file
	DaemonStart _daemonStart;
	SystemdNotify _notify; // Type=notify: ready, reloading, stopping, watchdog
	bool _watchdogStarved = false;
	StartupErrorEcho _startupErrors;
	std::unique_ptr<PidFile> _pidFile;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICEAPPLICATION_H
