//
// SeedBench.cpp
//
// The seed's performance guarantees, measured through the running server
// with every media plugin enabled (client-side WebSocket round trips on
// loopback, which include the server's receive-to-send time):
//   - status methods (ping, get_camera_list, get_camera_status) < 50 ms
//   - control methods (take_snapshot, start_recording, stop_recording) < 100 ms
//   - notifications < 20 ms from the event: recording_status_update STARTED
//     on a second connection, timed from sending start_recording on the first
//     (the event happens inside that call, so this is an upper bound)
// and the first take_snapshot / start_recording after start on an idle
// camera for each ffmpeg.preload (false, true, on_request), with the idle RSS.
//
//     seed_bench [status calls = 500] [control calls = 30] [cold runs = 3]
//

#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;
using Poco::JSON::Object;

namespace {

double since(Clock::time_point t0)
{
	return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

template <class Call>
void timed(std::vector<double>& into, Call call)
{
	auto t0 = Clock::now();
	call();
	into.push_back(since(t0));
}

void report(const std::string& what, std::vector<double> ms, double budget = 0)
{
	std::sort(ms.begin(), ms.end());
	auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
	std::printf("%-46s n=%-4zu p50 %7.2f  p95 %7.2f  p99 %7.2f  max %7.2f ms%s\n", what.c_str(), ms.size(), at(0.5), at(0.95), at(0.99),
		ms.back(), budget > 0 ? (ms.back() < budget ? "  (max within budget)" : at(0.99) < budget ? "  (p99 within budget)" : "  OVER BUDGET") : "");
}

long procStatus(pid_t pid, const std::string& key)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(key + ":", 0) == 0)
			return std::atol(line.c_str() + key.size() + 1);
	return -1;
}

ServerProcess::Options serverOptions(const std::string& preload, bool alwaysOn)
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras", "mediamtx", "storage", "snapshots", "recording", "metrics"};
	o.defines = {
		{"logging.level", "warning"},
		{"cameras.v4l2.enabled", "false"},
		{"mediamtx.enabled", "false"},
		{"ffmpeg.preload", preload},
		{"cameras.sources.a.url", "testsrc://?size=1280x720&rate=30"},
		{"cameras.sources.a.index", "0"},
		{"cameras.sources.a.always", alwaysOn ? "true" : "false"},
	};
	return o;
}

void coldRuns(int runs)
	/// A fresh server per call. "on_request": the client lists the cameras
	/// first and takes the snapshot a second later (a UI's user clicking).
{
	for (std::string preload: {"false", "true", "on_request"})
	{
		std::vector<double> snapshot, recording, rss;
		for (int run = 0; run < runs; ++run)
		{
			for (std::string method: {"take_snapshot", "start_recording"})
			{
				ServerProcess server(serverOptions(preload, false));
				RpcClient c(server.port());
				c.authenticateAs("operator");
				// Idle: with preload at start, once the background load is done (libavcodec mapped); otherwise settled.
				auto t0 = Clock::now();
				while (preload == "true" && !server.mapsLibrary("libavcodec") && since(t0) < 5000)
					std::this_thread::sleep_for(std::chrono::milliseconds(20));
				std::this_thread::sleep_for(std::chrono::milliseconds(500));
				if (method == "take_snapshot")
					rss.push_back(static_cast<double>(procStatus(server.pid(), "VmRSS")) / 1024.0);
				if (preload == "on_request")
				{
					c.result("get_camera_list");
					std::this_thread::sleep_for(std::chrono::seconds(1));
				}
				t0 = Clock::now();
				c.result(method, RpcClient::params({{"device", "camera0"}}), 20000);
				(method == "take_snapshot" ? snapshot : recording).push_back(since(t0));
				if (method == "start_recording")
					c.result("stop_recording", RpcClient::params({{"device", "camera0"}}));
			}
		}
		std::string mode = " (ffmpeg.preload = " + preload + ")";
		report("first take_snapshot, idle 1280x720" + mode, snapshot);
		report("first start_recording, idle 1280x720" + mode, recording);
		std::sort(rss.begin(), rss.end());
		std::printf("%-46s n=%-4zu median %.1f MB\n", ("idle RSS before the first call" + mode).c_str(), rss.size(), rss[rss.size() / 2]);
	}
}

} // namespace

int main(int argc, char** argv)
{
	int statusCalls = argc > 1 ? std::atoi(argv[1]) : 500;
	int controlCalls = argc > 2 ? std::atoi(argv[2]) : 30;
	int cold = argc > 3 ? std::atoi(argv[3]) : 3;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);

	{
		ServerProcess server(serverOptions("false", true));
		RpcClient c(server.port());
		c.authenticateAs("operator");
		Poco::JSON::Array::Ptr topics = new Poco::JSON::Array;
		topics->add("recording_status_update");
		// The camera runs (always on): its first frame is there.
		c.result("take_snapshot", RpcClient::params({{"device", "camera0"}}), 20000);

		std::vector<double> ping, list, status;
		for (int i = 0; i < statusCalls; ++i)
		{
			timed(ping, [&] { c.result("ping"); });
			timed(list, [&] { c.result("get_camera_list"); });
			timed(status, [&] { c.result("get_camera_status", RpcClient::params({{"device", "camera0"}})); });
		}
		report("ping", ping, 50);
		report("get_camera_list", list, 50);
		report("get_camera_status", status, 50);

		// The notification is timed on a second connection, from the moment the
		// first sends start_recording (the event happens inside that call).
		RpcClient watcher(server.port());
		watcher.authenticateAs("viewer");
		watcher.result("subscribe_events", RpcClient::params({{"topics", topics}}));
		std::vector<double> snapshot, start, stop, notified;
		for (int i = 0; i < controlCalls; ++i)
		{
			timed(snapshot, [&] { c.result("take_snapshot", RpcClient::params({{"device", "camera0"}})); });
			auto t0 = Clock::now();
			c.sendText(R"({"jsonrpc":"2.0","method":"start_recording","params":{"device":"camera0"},"id":"start"})");
			for (;;)
			{
				auto n = watcher.nextNotification(2000);
				if (!n)
					break;
				if (n->getObject("params")->getValue<std::string>("status") == "STARTED")
				{
					notified.push_back(since(t0));
					break;
				}
			}
			while (c.receiveText().find("\"id\":\"start\"") == std::string::npos)
				;
			start.push_back(since(t0));
			timed(stop, [&] { c.result("stop_recording", RpcClient::params({{"device", "camera0"}})); });
		}
		report("take_snapshot, running 1280x720", snapshot, 100);
		report("start_recording, running 1280x720", start, 100);
		report("stop_recording (finalizes the file)", stop, 100);
		report("recording_status_update (from the call)", notified, 20);
	}
	coldRuns(cold);
	return 0;
}
