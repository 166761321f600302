//
// ServerProcess.h
//
// Starts the real camera-service binary for an integration test: a free
// loopback port, a fresh temporary state directory, the plugins asked for,
// and waits until GET /health answers. Stops it (SIGTERM, then SIGKILL) when
// destroyed.
//

#ifndef CAMSVC_TEST_SERVERPROCESS_H
#define CAMSVC_TEST_SERVERPROCESS_H

#include "support/ChildProcess.h"
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <sys/types.h>

namespace camsvc::test {

class ServerProcess
{
public:
	struct Options
	{
		std::vector<std::string> plugins{"test_auth"}; // plugins.enabled
		std::map<std::string, std::string> defines;      // extra --define key=value
		std::vector<std::string> extraArgs;              // more command-line arguments
		std::map<std::string, std::string> environment;  // set in the server's environment (LD_PRELOAD, ...)
		std::string stateDir;                            // empty: a new temp dir, removed afterwards
		bool waitReady = true;                           // wait for /health

		static Options of(std::vector<std::string> plugins, std::map<std::string, std::string> defines,
			const std::map<std::string, std::string>& overrides = {})
			/// These plugins, these defines with a test's overrides laid over them.
		{
			Options o;
			o.plugins = std::move(plugins);
			o.defines = std::move(defines);
			for (const auto& [k, v]: overrides)
				o.defines[k] = v;
			return o;
		}
	};

	explicit ServerProcess(Options options);
	ServerProcess(): ServerProcess(Options()) {}
	~ServerProcess();

	ServerProcess(const ServerProcess&) = delete;
	ServerProcess& operator=(const ServerProcess&) = delete;

	int port() const { return _port; }
	pid_t pid() const { return _process->pid(); }
	const std::string& stateDir() const { return _stateDir; }
	std::string logFile() const { return _stateDir + "/server.log"; }
		/// The server's stdout and stderr.
	std::string log() const;
		/// The log file's content.
	bool waitForLog(const std::string& text, std::size_t occurrences = 1, int timeoutMs = 10000) const;
		/// Until the log holds text that many times (true), or the deadline passes (false).

	int terminate(int signal = 15, int timeoutMs = 10000);
		/// Sends the signal and waits; returns the exit status (WEXITSTATUS, or
		/// 128+signal if killed). Returns -1 on timeout (then it is SIGKILLed).
	bool running() const { return _process->running(); }
	void waitUntilReady(int timeoutMs = 10000);
	bool mapsLibrary(const std::string& library) const;
		/// The server process has a library whose path contains this mapped
		/// (/proc/PID/maps): whether FFmpeg was loaded yet.

	static int freePort();
	static std::string binary();   // $CAMSVC_BINARY
	static std::string pluginDir(); // $CAMSVC_PLUGIN_DIR

private:
	Options _options;
	int _port = 0;
	std::string _stateDir;
	bool _ownStateDir = false;
	std::unique_ptr<ChildProcess> _process;
};

std::string makeTempDir(const std::string& prefix = "camsvc-test");
void removeTree(const std::string& path);

} // namespace camsvc::test

#endif // CAMSVC_TEST_SERVERPROCESS_H
