//
// CapturePipeline.h
//
// One camera's capture: opens the source once with libavformat, decodes,
// encodes to H.264 with libx264 when the source is not H.264 already, keeps
// the latest decoded frame and hands every packet to the subscribed sinks.
// Runs on its own thread while something needs it (a sink, a frame lease,
// or "always"); source errors restart it with exponential backoff.
//

#ifndef CAMSVC_CAMERAS_CAPTUREPIPELINE_H
#define CAMSVC_CAMERAS_CAPTUREPIPELINE_H

#include "SourceSpec.h"
#include "camsvc/sdk/CameraService.h"
#include <Poco/Logger.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

struct AVCodecParameters;
struct AVStream;

namespace camsvc::cameras {

struct PipelineOptions
{
	SourceSpec source;
	std::string preset = "ultrafast";
	std::string tune = "zerolatency";
	int crf = 23;
	double gopSeconds = 1.0;
	std::chrono::milliseconds backoffInitial{500};
	std::chrono::milliseconds backoffMax{10000};
	std::chrono::milliseconds idleLinger{2000};  // keep running this long after the last user leaves
	std::chrono::milliseconds frameLease{5000};  // latestFrame() keeps an idle pipeline this long
	bool always = false;
};

struct PipelineStats
{
	bool running = false;
	int sinks = 0;
	std::uint64_t bytes = 0;
	double uptimeSeconds = 0;
	int width = 0;
	int height = 0;
	double fps = 0;
};

class CapturePipeline
{
public:
	using StateCallback = std::function<void(sdk::CameraState state, const std::string& detail, const std::string& reason)>;
		/// Called on the pipeline thread when the source opens (Connected) or
		/// fails (Error; reason "device_busy" or "source_failed").

	CapturePipeline(std::string name, PipelineOptions options, StateCallback onState, Poco::Logger& logger);
	~CapturePipeline();

	std::unique_ptr<sdk::Subscription> subscribe(std::shared_ptr<sdk::PacketSink> sink);
	sdk::Frame latestFrame(std::chrono::milliseconds timeout);
		/// Throws RpcError -32603 reason "no_frame" on timeout, -32004 when
		/// unavailable (reason "device_busy" while another program holds it).
	void setAvailable(bool available);
		/// A V4L2 device vanished (false) or came back (true).
	void shutdown();
		/// Stops for good: sinks get onStreamEnd(Stopped).
	PipelineStats stats() const;
	const std::string& name() const { return _name; }

private:
	struct Sink
	{
		std::shared_ptr<sdk::PacketSink> sink;
		bool started = false;   // onStreamStart sent for the current stream
		bool keyframeSeen = false;
	};
	class SinkSubscription;
	struct Session;

	bool demandLocked() const;
	void ensureThreadLocked();
	sdk::RpcError noFrameLocked() const;
		/// -32004: no frame in time ("no_frame"), or the device is held by another program.
	void run();
	void capture(Session& session);
		/// Reads, timestamps, decodes/encodes and delivers packets until the
		/// pipeline is no longer needed; throws SourceFailure when the source fails.
	enum class Read { Packet, Skip, End };
	bool stillNeeded(std::chrono::steady_clock::time_point& idleSince) const;
	Read readPacket(Session& session);
	std::int64_t packetMicros(Session& session, const AVStream& stream);
	void decodePacket(Session& session, std::int64_t micros);
	void encodeDecoded(Session& session, std::int64_t micros);
	void passPacketThrough(Session& session, const AVStream& stream, std::int64_t micros);
	bool shuttingDownOrGone() const;
		/// True when shutting down; throws SourceFailure when the device was removed.
	void openSession(Session& session);
		/// The steps: input (format, options, stream), decoder (and the
		/// stream's size and rate), encoder unless the source is H.264 already.
	void openInput(Session& session);
	void openDecoder(Session& session);
	void openEncoder(Session& session, AVCodecParameters& params);
	void deliver(AVPacket& packet, const sdk::StreamInfo& info);
	void endStream(sdk::StreamEnd reason, const std::string& detail);
	void publishFrame(const AVFrame* frame);
	bool stopRequested() const;
	bool waitFor(std::chrono::milliseconds duration);
	void unsubscribe(std::list<Sink>::iterator it);

	const std::string _name;
	const PipelineOptions _options;
	const StateCallback _onState;
	Poco::Logger& _logger;

	mutable std::mutex _mutex;        // thread life, demand, frame
	std::condition_variable _changed;
	std::thread _thread;
	bool _threadRunning = false;
	bool _shutdown = false;
	bool _available = true;
	std::chrono::steady_clock::time_point _leaseUntil;
	sdk::Frame _latest;
	std::string _failureReason;       // of the last failed open, until one works
	std::uint64_t _frameCount = 0;
	std::optional<std::chrono::steady_clock::time_point> _silentSince; // the last wait for a frame that timed out
	std::uint64_t _framesWhenSilent = 0;

	mutable std::mutex _sinkMutex;    // sinks; held while calling them
	std::list<Sink> _sinks;
	std::atomic<int> _sinkCount{0};
	std::atomic<bool> _forceKeyframe{false};

	std::atomic<bool> _open{false};
	std::atomic<std::uint64_t> _bytes{0};
	std::atomic<std::int64_t> _openedAtMicros{0};
	std::atomic<int> _width{0}, _height{0};
	std::atomic<double> _fps{0};
};

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_CAPTUREPIPELINE_H
