//
// RtspPublisher.h
//
// A packet sink that pushes a camera's H.264 to an RTSP server (MediaMTX)
// over RTSP/TCP with libavformat, from the shared capture pipeline. The
// pipeline thread only queues packets (bounded); a thread of its own does
// the network I/O and reconnects with backoff when the server goes away,
// resuming at the next keyframe.
//

#ifndef CAMSVC_MEDIAMTX_RTSPPUBLISHER_H
#define CAMSVC_MEDIAMTX_RTSPPUBLISHER_H

#include "camsvc/sdk/CameraService.h"
#include <Poco/Logger.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace camsvc::mediamtx {

struct PublisherStats
{
	bool connected = false;
	std::uint64_t packetsSent = 0;
	std::uint64_t bytesSent = 0;
	int connects = 0;                    // successful sessions (1 + reconnects)
	double firstPacketSeconds = -1;      // from construction to the first packet written
	double lastReconnectSeconds = -1;    // from losing the server to writing again
};

class RtspPublisher: public sdk::PacketSink
{
public:
	RtspPublisher(std::string url, Poco::Logger& logger, std::chrono::milliseconds backoffInitial = std::chrono::milliseconds(500),
		std::chrono::milliseconds backoffMax = std::chrono::milliseconds(5000));
	~RtspPublisher() override;

	void onStreamStart(const sdk::StreamInfo& info) override;
	void onPacket(const AVPacket& packet) override;
	void onStreamEnd(sdk::StreamEnd reason, const std::string& detail) override;

	void stop();
	PublisherStats stats() const;
	const std::string& url() const { return _url; }

private:
	struct Output;
	void run();
		/// Connect, send until the stream changes or fails, back off, again.
	bool waitForStream(sdk::StreamInfo& info, std::uint64_t& generation);
		/// False once stopping; else the parameters of a stream with packets queued.
	int openOutput(Output& out, const sdk::StreamInfo& info);
		/// The RTSP output with its header written; an AVERROR when that failed.
	void connected(std::chrono::steady_clock::time_point lostAt);
	std::string sendQueued(Output& out, const sdk::StreamInfo& info, std::uint64_t generation);
		/// Writes packets until stopped or the stream changes (""), or a write fails (the failure).
	void dropQueue();
	bool waitBackoff(std::chrono::milliseconds duration);

	const std::string _url;
	Poco::Logger& _logger;
	const std::chrono::milliseconds _backoffInitial;
	const std::chrono::milliseconds _backoffMax;
	const std::chrono::steady_clock::time_point _created = std::chrono::steady_clock::now();

	mutable std::mutex _mutex;
	std::condition_variable _changed;
	sdk::StreamInfo _info;
	bool _haveInfo = false;
	std::uint64_t _generation = 0;       // bumped by onStreamStart: reopen with new parameters
	std::deque<AVPacket*> _queue;
	std::size_t _queuedBytes = 0;
	bool _needKeyframe = true;          // after a start, a drop or a reconnect: wait for a keyframe
	bool _stopping = false;
	PublisherStats _stats;
	std::thread _thread;
};

} // namespace camsvc::mediamtx

#endif // CAMSVC_MEDIAMTX_RTSPPUBLISHER_H
