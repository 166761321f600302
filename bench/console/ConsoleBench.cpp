//
// ConsoleBench.cpp
//
// The console's live view (fragmented MP4, remuxed, no re-encode):
//  1. in-process: a LiveViewer remuxing 10 s of pre-encoded 1280x720@30
//     H.264 into fragments (process CPU time per frame), against the
//     alternative, MJPEG: a JPEG encode of every frame;
//  2. the running server with an always-on 1280x720@30 test-pattern camera:
//     its CPU with 0, 1, 4 and 8 viewers reading /console/live/camera0;
//  3. latency in headless Chromium: the page's own measure (frame shown,
//     requestVideoFrameCallback, minus the time its packet left the
//     encoder) sampled every 100 ms, and how far playback is behind the
//     newest buffered frame.
//
//     console_bench [seconds per phase = 6]
//

#include "Browser.h"
#include "ConsoleServer.h"
#include "LiveViewer.h"
#include "MediaCheck.h"
#include "support/CpuTime.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using namespace camsvc;
using namespace camsvc::test;

namespace {

class HttpViewer
	/// Reads a live view as fast as it comes and throws it away.
{
public:
	HttpViewer(int port): _session("127.0.0.1", static_cast<Poco::UInt16>(port))
	{
		Poco::Net::HTTPRequest request("GET", "/console/live/camera0", Poco::Net::HTTPMessage::HTTP_1_1);
		request.set("Authorization", "Bearer " + testToken("viewer"));
		_session.sendRequest(request);
		std::istream& body = _session.receiveResponse(_response);
		if (_response.getStatus() != 200)
			throw std::runtime_error("live view refused: " + std::to_string(_response.getStatus()));
		_thread = std::thread([this, &body] {
			std::vector<char> buffer(64 * 1024);
			while (!_stop && body.read(buffer.data(), static_cast<std::streamsize>(buffer.size())))
				_bytes += static_cast<std::uint64_t>(body.gcount());
		});
	}
	~HttpViewer()
	{
		_stop = true;
		_session.abort();
		_thread.join();
	}
	std::uint64_t bytes() const { return _bytes; }

private:
	Poco::Net::HTTPClientSession _session;
	Poco::Net::HTTPResponse _response;
	std::atomic<bool> _stop{false};
	std::atomic<std::uint64_t> _bytes{0};
	std::thread _thread;
};

double percentile(std::vector<double> v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::uint64_t measureRemux()
	/// The live view's remux of 10 s of 1280x720@30 H.264 to fMP4, in-process: CPU per frame; the bytes.
{
	H264TestStream camera(1280, 720, 30);
	auto packets = camera.packets(10.0);
	console::LiveViewer viewer(256 * 1024 * 1024);
	viewer.onStreamStart(camera.info());
	std::uint64_t bytes = 0;
	std::string chunk;
	double cpu0 = processCpuSeconds();
	for (const auto& p: packets)
	{
		viewer.onPacket(*p);
		while (viewer.queue().pop(chunk, std::chrono::milliseconds(0)))
			bytes += chunk.size();
	}
	double cpu = processCpuSeconds() - cpu0;
	std::printf("remux to live fMP4 in-process: %.1f us CPU per frame, %.3f %% of a core per viewer at 30 fps (%zu frames, %.1f MB)\n",
		cpu * 1e6 / static_cast<double>(packets.size()), cpu / 10.0 * 100, packets.size(), static_cast<double>(bytes) / 1e6);
	return bytes;
}

void measureMjpeg(std::uint64_t liveBytes)
	/// The alternative not taken, MJPEG, on the same 10 s: encode CPU and bit rate.
{
	// MJPEG (multipart/x-mixed-replace) needs a JPEG per frame. Decode the
	// same 10 s (untimed), then time the encode.
	H264TestStream camera(1280, 720, 30);
	auto packets = camera.packets(10.0);
	const AVCodec* h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
	AVCodecContext* decoder = avcodec_alloc_context3(h264);
	avcodec_parameters_to_context(decoder, camera.info().codecParameters.get());
	avcodec_open2(decoder, h264, nullptr);
	const AVCodec* mjpeg = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
	AVCodecContext* encoder = avcodec_alloc_context3(mjpeg);
	encoder->width = 1280;
	encoder->height = 720;
	encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
	encoder->time_base = AVRational{1, 30};
	encoder->flags |= AV_CODEC_FLAG_QSCALE;
	encoder->global_quality = FF_QP2LAMBDA * 5;
	avcodec_open2(encoder, mjpeg, nullptr);
	AVFrame* frame = av_frame_alloc();
	AVPacket* jpeg = av_packet_alloc();
	double cpu = 0;
	std::uint64_t bytes = 0;
	int frames = 0;
	for (const auto& p: packets)
	{
		avcodec_send_packet(decoder, p.get());
		while (avcodec_receive_frame(decoder, frame) == 0)
		{
			frame->pict_type = AV_PICTURE_TYPE_NONE;
			double cpu0 = processCpuSeconds();
			avcodec_send_frame(encoder, frame);
			while (avcodec_receive_packet(encoder, jpeg) == 0)
			{
				bytes += static_cast<std::uint64_t>(jpeg->size);
				av_packet_unref(jpeg);
			}
			cpu += processCpuSeconds() - cpu0;
			++frames;
			av_frame_unref(frame);
		}
	}
	std::printf("MJPEG alternative, 1280x720@30 (q=5): %.2f ms CPU per frame = %.1f %% of a core per camera, %.1f Mbit/s per viewer (%d frames)\n",
		cpu * 1000 / frames, cpu / 10.0 * 100, static_cast<double>(bytes) * 8 / 10.0 / 1e6, frames);
	av_packet_free(&jpeg);
	av_frame_free(&frame);
	avcodec_free_context(&encoder);
	avcodec_free_context(&decoder);
	std::printf("live fMP4 for comparison: %.1f Mbit/s per viewer\n", static_cast<double>(liveBytes) * 8 / 10.0 / 1e6);
}

void measureServerCpu(const ServerProcess& server, int phase)
	/// The server's CPU with a running camera and 0, 1, 4, 8 viewers.
{
	std::this_thread::sleep_for(std::chrono::seconds(2));
	double idle = serverCpuPercent(server.pid(), phase);
	std::printf("server CPU, camera running (capture + x264), no viewer: %.1f %%\n", idle);
	for (int n: {1, 4, 8})
	{
		std::vector<std::unique_ptr<HttpViewer>> viewers;
		for (int i = 0; i < n; ++i)
			viewers.push_back(std::make_unique<HttpViewer>(server.port()));
		std::this_thread::sleep_for(std::chrono::milliseconds(1500));
		double cpu = serverCpuPercent(server.pid(), phase);
		std::printf("server CPU with %d viewer(s): %.1f %% (%+.2f %% of a core per viewer)\n", n, cpu, (cpu - idle) / n);
	}
}

void measureBrowserLatency(const ServerProcess& server, int phase)
	/// Chromium playing the live view: latency from encoder output to the frame shown.
{
	Browser browser;
	std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
	browser.open(url);
	browser.type("[data-testid=login-token]", testToken("viewer"));
	browser.click("[data-testid=login-submit]");
	browser.waitFor("document.querySelector('[data-testid=live-view]')?.dataset.latencyMs", 20000);
	browser.pause(2000);
	std::vector<double> latency, behind;
	for (int i = 0; i < phase * 10; ++i)
	{
		auto sample = browser.evaluate("(() => { const v = document.querySelector('[data-testid=live-view]'); const b = v.buffered;"
			" return [Number(v.dataset.latencyMs), b.length ? (b.end(b.length - 1) - v.currentTime) * 1000 : -1]; })()").extract<Poco::JSON::Array::Ptr>();
		latency.push_back(sample->getElement<double>(0));
		behind.push_back(sample->getElement<double>(1));
		browser.pause(100);
	}
	std::printf("Chromium live view, 1280x720@30: encoder output to frame shown p50 %.0f ms, p95 %.0f ms, max %.0f ms; "
		"playback behind the newest buffered frame p50 %.0f ms, p95 %.0f ms (%zu samples)\n",
		percentile(latency, 0.5), percentile(latency, 0.95), percentile(latency, 1.0),
		percentile(behind, 0.5), percentile(behind, 0.95), latency.size());
	for (const auto& e: browser.errors())
		std::printf("page error: %s\n", e.c_str());
}

} // namespace

int main(int argc, char** argv)
{
	int phase = argc > 1 ? std::atoi(argv[1]) : 6;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);
	measureMjpeg(measureRemux());
	ServerProcess::Options options = consoleServerOptions("testsrc://?size=1280x720&rate=30", 16, true);
	options.defines["logging.level"] = "warning";
	ServerProcess server(options);
	measureServerCpu(server, phase);
	measureBrowserLatency(server, phase);
	return 0;
}
