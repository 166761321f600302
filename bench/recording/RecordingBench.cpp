//
// RecordingBench.cpp
//
// CPU per recording (remux only, no re-encode):
//  1. in-process: the Recorder remuxing 10 s of pre-encoded 1280x720@30
//     H.264 to fragmented MP4 and to MKV (process CPU time, fdatasync on);
//  2. the running server: its CPU with an always-on 1280x720@30 test-pattern
//     camera, without and with a recording of it.
//
//     recording_bench [seconds per server phase = 6]
//

#include "MediaCheck.h"
#include "Recorder.h"
#include "support/CpuTime.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/TemporaryFile.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace camsvc::recording;
using namespace camsvc::test;

int main(int argc, char** argv)
{
	int phase = argc > 1 ? std::atoi(argv[1]) : 6;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);

	const double seconds = 10;
	H264TestStream stream(1280, 720, 30);
	auto packets = stream.packets(seconds);
	std::uint64_t bytes = 0;
	for (auto& p: packets)
		bytes += static_cast<std::uint64_t>(p->size);
	std::printf("input: %zu packets, %.1f s of 1280x720@30 H.264, %.0f kbit/s\n", packets.size(), seconds, bytes * 8 / seconds / 1000);
	for (std::string format: {"mp4", "mkv"})
	{
		std::string dir = Poco::TemporaryFile::tempName();
		std::filesystem::create_directories(dir);
		RecorderOptions o;
		o.path = dir + "/bench." + format;
		o.format = format;
		double cpu0 = processCpuSeconds();
		auto t0 = std::chrono::steady_clock::now();
		auto recorder = std::make_shared<Recorder>(o, nullptr);
		recorder->onStreamStart(stream.info());
		for (auto& p: packets)
			recorder->onPacket(*p);
		RecorderResult r = recorder->stop(EndReason::Requested);
		double cpu = processCpuSeconds() - cpu0;
		double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		std::printf("remux %s in-process: %.1f ms CPU for %.1f s of video (%.3f %% of a core in real time), wall %.1f ms, %lld packets, %llu dropped\n",
			format.c_str(), cpu * 1000, r.seconds, cpu / r.seconds * 100, wall * 1000, static_cast<long long>(r.packets),
			static_cast<unsigned long long>(r.dropped));
		std::filesystem::remove_all(dir);
	}

	ServerProcess::Options options;
	options.plugins = {"test_auth", "cameras", "storage", "recording"};
	options.defines = {
		{"logging.level", "warning"},
		{"cameras.v4l2.enabled", "false"},
		{"mediamtx.enabled", "false"},
		{"cameras.sources.a.url", "testsrc://?size=1280x720&rate=30"},
		{"cameras.sources.a.index", "0"},
		{"cameras.sources.a.always", "true"},
	};
	ServerProcess server(options);
	RpcClient c(server.port());
	c.authenticateAs("operator");
	std::this_thread::sleep_for(std::chrono::seconds(2));
	double idle = serverCpuPercent(server.pid(), phase);
	c.result("start_recording", RpcClient::params({{"device", "camera0"}}));
	std::this_thread::sleep_for(std::chrono::milliseconds(500));
	double recording = serverCpuPercent(server.pid(), phase);
	c.result("stop_recording", RpcClient::params({{"device", "camera0"}}));
	std::printf("server CPU, camera running (capture + x264): %.1f %%; while recording it: %.1f %%; the recording: %+.1f %% of a core\n",
		idle, recording, recording - idle);
	return 0;
}
