//
// ConsoleServer.h
//
// The real server with the console and one test-pattern camera (camera0,
// V4L2 discovery and MediaMTX off), for the console's server tests and
// bench/console.
//

#ifndef CAMSVC_TEST_CONSOLESERVER_H
#define CAMSVC_TEST_CONSOLESERVER_H

#include "support/ServerProcess.h"
#include <string>

namespace camsvc::test {

inline ServerProcess::Options consoleServerOptions(const std::string& cameraUrl = "testsrc://?size=320x240&rate=15",
	int maxViewers = 8, bool alwaysOn = false)
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras", "console"};
	o.defines = {
		{"cameras.v4l2.enabled", "false"},
		{"mediamtx.enabled", "false"},
		{"cameras.sources.a.url", cameraUrl},
		{"cameras.sources.a.index", "0"},
		{"cameras.sources.a.always", alwaysOn ? "true" : "false"},
		{"console.live.max_viewers", std::to_string(maxViewers)},
	};
	return o;
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_CONSOLESERVER_H
