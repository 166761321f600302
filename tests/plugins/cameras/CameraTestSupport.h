//
// CameraTestSupport.h
//
// A packet sink that keeps what it gets and decodes it with libavcodec;
// the network camera played by ffmpeg (support/FfmpegCamera.h).
//

#ifndef CAMSVC_TEST_CAMERATESTSUPPORT_H
#define CAMSVC_TEST_CAMERATESTSUPPORT_H

#include "camsvc/sdk/CameraService.h"
#include "support/FfmpegCamera.h"
#include <chrono>
#include <filesystem>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace camsvc::test {

class RecordingSink: public sdk::PacketSink
	/// Decodes every packet it gets as it arrives (a decoder per stream start).
{
public:
	void onStreamStart(const sdk::StreamInfo& info) override
	{
		std::lock_guard lock(mutex);
		++starts;
		this->info = info;
		avcodec_free_context(&decoder);
		decoder = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
		avcodec_parameters_to_context(decoder, info.codecParameters.get());
		avcodec_open2(decoder, nullptr, nullptr);
		changed.notify_all();
	}

	void onPacket(const AVPacket& packet) override
	{
		std::lock_guard lock(mutex);
		if (packets == 0)
			firstWasKey = (packet.flags & AV_PKT_FLAG_KEY) != 0;
		++packets;
		bytes += static_cast<std::size_t>(packet.size);
		if (lastPts != AV_NOPTS_VALUE && packet.pts <= lastPts)
			monotonic = false;
		lastPts = packet.pts;
		AVPacket* copy = av_packet_clone(&packet);
		if (avcodec_send_packet(decoder, copy) == 0)
		{
			AVFrame* frame = av_frame_alloc();
			while (avcodec_receive_frame(decoder, frame) == 0)
			{
				++frames;
				width = frame->width;
				height = frame->height;
			}
			av_frame_free(&frame);
		}
		av_packet_free(&copy);
		changed.notify_all();
	}

	void onStreamEnd(sdk::StreamEnd reason, const std::string&) override
	{
		std::lock_guard lock(mutex);
		ends.push_back(reason);
		changed.notify_all();
	}

	template <class Pred>
	bool waitUntil(Pred pred, int timeoutMs = 10000)
	{
		std::unique_lock lock(mutex);
		return changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return pred(*this); });
	}

	~RecordingSink() override { avcodec_free_context(&decoder); }

	std::mutex mutex;
	std::condition_variable changed;
	sdk::StreamInfo info;
	AVCodecContext* decoder = nullptr;
	int starts = 0;
	int packets = 0;
	int frames = 0;
	int width = 0;
	int height = 0;
	std::size_t bytes = 0;
	bool firstWasKey = false;
	bool monotonic = true;
	std::int64_t lastPts = AV_NOPTS_VALUE;
	std::vector<sdk::StreamEnd> ends;
};

inline int threadCount()
{
	int n = 0;
	for (const auto& entry: std::filesystem::directory_iterator("/proc/self/task"))
		(void) entry, ++n;
	return n;
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_CAMERATESTSUPPORT_H
