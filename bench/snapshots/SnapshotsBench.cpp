//
// SnapshotsBench.cpp
//
// take_snapshot latency, client-measured over WebSocket, on a running
// 1280x720@30 test-pattern camera (warm: the pipeline is always on) and on an
// idle one (cold: the call starts the pipeline and waits for its first
// frame); plus the encoder alone on a 1280x720 frame.
//
//     snapshots_bench [warm calls = 200] [cold calls = 10]
//

#include "ImageEncoder.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Object.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

namespace {

struct Percentiles
{
	double p50, p99, max;
};

Percentiles percentiles(std::vector<double> ms)
{
	std::sort(ms.begin(), ms.end());
	auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
	return {at(0.50), at(0.99), ms.back()};
}

double timeCall(RpcClient& c, const std::string& device, const std::string& format)
{
	auto t0 = Clock::now();
	c.result("take_snapshot", RpcClient::params({{"device", device}, {"format", format}}), 20000);
	return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void report(const char* what, const std::vector<double>& ms)
{
	Percentiles p = percentiles(ms);
	std::printf("%-44s n=%-4zu p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", what, ms.size(), p.p50, p.p99, p.max);
}

} // namespace

int main(int argc, char** argv)
{
	int warm = argc > 1 ? std::atoi(argv[1]) : 200;
	int cold = argc > 2 ? std::atoi(argv[2]) : 10;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);

	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras", "storage", "snapshots"};
	o.defines = {
		{"logging.level", "warning"},
		{"cameras.v4l2.enabled", "false"},
		{"mediamtx.enabled", "false"},
		{"cameras.sources.warm.url", "testsrc://?size=1280x720&rate=30"},
		{"cameras.sources.warm.index", "0"},
		{"cameras.sources.warm.always", "true"},
		{"cameras.sources.cold.url", "testsrc://?size=1280x720&rate=30"},
		{"cameras.sources.cold.index", "1"},
		{"cameras.frame_lease_ms", "100"},
		{"cameras.idle_stop_ms", "100"},
	};
	ServerProcess server(o);
	RpcClient c(server.port());
	c.authenticateAs("operator");
	std::this_thread::sleep_for(std::chrono::seconds(1)); // the warm camera is running

	std::vector<double> jpeg, png, idle;
	for (int i = 0; i < warm; ++i)
		jpeg.push_back(timeCall(c, "camera0", "jpg"));
	for (int i = 0; i < std::max(10, warm / 10); ++i)
		png.push_back(timeCall(c, "camera0", "png"));
	for (int i = 0; i < cold; ++i)
	{
		std::this_thread::sleep_for(std::chrono::milliseconds(800)); // lease and linger over: idle again
		idle.push_back(timeCall(c, "camera1", "jpg"));
	}
	report("take_snapshot jpg, running 1280x720 camera", jpeg);
	report("take_snapshot png, running 1280x720 camera", png);
	report("take_snapshot jpg, idle 1280x720 camera", idle);

	// The encoder alone (per call: context, conversion, encoding).
	std::shared_ptr<AVFrame> frame(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
	frame->format = AV_PIX_FMT_YUV420P;
	frame->width = 1280;
	frame->height = 720;
	av_frame_get_buffer(frame.get(), 0);
	for (int p = 0; p < 3; ++p)
		for (int y = 0; y < (p ? 360 : 720); ++y)
			for (int x = 0; x < (p ? 640 : 1280); ++x)
				frame->data[p][y * frame->linesize[p] + x] = static_cast<std::uint8_t>(x ^ y);
	std::vector<double> encode;
	for (int i = 0; i < 50; ++i)
	{
		auto t0 = Clock::now();
		camsvc::snapshots::encodeImage(*frame, camsvc::snapshots::ImageOptions());
		encode.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
	}
	report("encodeImage jpg 1280x720 (in-process)", encode);
	return 0;
}
