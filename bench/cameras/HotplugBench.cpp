//
// HotplugBench.cpp
//
// How long a USB camera takes to show up and to go away, client-measured:
// the server runs with libfake_v4l2.so preloaded; each round renames a
// node into its directory (what devtmpfs does when uvcvideo registers it)
// and times the camera_status_update CONNECTED notification over
// WebSocket (inotify, the VIDIOC_QUERYCAP/ENUM_* probe through libv4l2,
// mode choice, notification), then removes it and times DISCONNECTED.
//
//     hotplug_bench [rounds = 50]
//

#include "support/FakeV4l2Dir.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

namespace {

double waitState(RpcClient& c, const std::string& state, Clock::time_point since)
	/// Milliseconds from since to camera0's notification in that state; -1 on timeout.
{
	for (int i = 0; i < 100; ++i)
	{
		auto n = c.nextNotification(100);
		if (n && n->getObject("params")->getValue<std::string>("stream_name") == "camera0"
			&& n->getObject("params")->getValue<std::string>("status") == state)
			return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
	}
	return -1;
}

void report(const char* what, std::vector<double> ms)
{
	std::sort(ms.begin(), ms.end());
	std::printf("%s: rounds=%zu min=%.2f ms median=%.2f ms p90=%.2f ms max=%.2f ms\n", what, ms.size(), ms.front(), ms[ms.size() / 2],
		ms[ms.size() * 9 / 10], ms.back());
}

} // namespace

int main(int argc, char** argv)
{
	int rounds = argc > 1 ? std::atoi(argv[1]) : 50;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);
	FakeV4l2Dir devices;
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras"};
	o.defines = {{"cameras.v4l2.device_dir", devices.dir()}, {"logging.level", "warning"}};
	o.environment = {{"LD_PRELOAD", CAMSVC_FAKE_V4L2_LIBRARY}, {"FAKE_V4L2_DIR", devices.dir()}};
	ServerProcess server(o);
	RpcClient c(server.port());
	c.authenticateAs("viewer");
	c.subscribe({"camera_status_update"});
	std::string camera = FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"640x480\",\"1280x720\"],\"fps\":[30,10]},"
		"{\"fourcc\":\"MJPG\",\"sizes\":[\"1280x720\",\"640x480\"],\"fps\":[30,15]}");
	std::vector<double> connected, disconnected;
	for (int i = 0; i < rounds; ++i)
	{
		auto t = Clock::now();
		devices.plug("video0", camera);
		double up = waitState(c, "CONNECTED", t);
		t = Clock::now();
		devices.unplug("video0");
		double down = waitState(c, "DISCONNECTED", t);
		if (up < 0 || down < 0)
		{
			std::fprintf(stderr, "round %d: no notification\n%s", i, server.log().c_str());
			return 1;
		}
		connected.push_back(up);
		disconnected.push_back(down);
	}
	report("plug -> CONNECTED", connected);
	report("unplug -> DISCONNECTED", disconnected);
	return 0;
}
