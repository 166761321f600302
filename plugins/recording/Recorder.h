//
// Recorder.h
//
// The packet sink of one recording. The camera's pipeline thread only queues
// packet references (bounded by bytes; when full, packets are dropped up to
// the next keyframe so the file stays decodable); a writer thread of its own
// remuxes them with a StreamMuxer, fdatasync()s every sync interval and ends
// the recording on its own when the duration is reached, the camera goes away
// or the disk refuses a write, finalizing the file before it reports.
//

#ifndef CAMSVC_RECORDING_RECORDER_H
#define CAMSVC_RECORDING_RECORDER_H

#include "EndReason.h"
#include "StreamMuxer.h"
#include "camsvc/sdk/CameraService.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace camsvc::recording {

struct RecorderOptions
{
	std::string path;                 // the file to create (must not exist)
	std::string format = "mp4";       // "mp4" (fragmented) or "mkv"
	int fragmentMs = 1000;            // fragment / cluster length
	std::chrono::milliseconds syncInterval{1000}; // fdatasync period; 0: never
	double maxSeconds = 0;            // stop after this much media time; 0: no limit
	std::chrono::milliseconds stallGrace{3000};   // ...or this long after maxSeconds of wall time
	std::size_t queueBytes = 16 << 20;            // packet bytes waiting for the writer
};

struct RecorderResult
{
	EndReason reason = EndReason::Requested;
	std::string detail;          // human text for error reasons
	bool fileCreated = false;    // false: no packet ever arrived, nothing on disk
	std::uint64_t bytes = 0;
	double seconds = 0;          // media time written
	std::int64_t packets = 0;
	std::uint64_t dropped = 0;   // packets dropped because the queue was full
};

class Recorder: public sdk::PacketSink
{
public:
	using EndCallback = std::function<void(EndReason reason, const std::string& detail)>;
		/// Called once, on the writer thread, after the file was finalized,
		/// when the recording ended on its own (not after stop()). Must not
		/// call stop() (it joins the writer thread): hand the work to another thread.

	Recorder(RecorderOptions options, EndCallback onEnd);
		/// Starts the writer thread.
	~Recorder() override;
		/// stop(Shutdown) if still running.

	void onStreamStart(const sdk::StreamInfo& info) override;
	void onPacket(const AVPacket& packet) override;
	void onStreamEnd(sdk::StreamEnd reason, const std::string& detail) override;

	RecorderResult stop(EndReason reason);
		/// Writes what is queued, finalizes the file, joins the writer and
		/// returns the outcome; when the recording had already ended on its
		/// own, its own reason is kept. Idempotent. Not from the writer thread.
	double secondsWritten() const { return _seconds.load(); }

private:
	struct Item
	{
		enum Kind { Start, Packet, End } kind;
		AVPacket* packet = nullptr;    // Packet: a reference we own
		sdk::StreamInfo info;          // Start
		sdk::StreamEnd end = sdk::StreamEnd::Stopped;
		std::string detail;
	};

	void push(Item item);
	void run();
	std::optional<RecorderResult> process(Item& item);
		/// Writes one item; an outcome when the recording must end.
	static void release(Item& item);

	const RecorderOptions _options;
	const EndCallback _onEnd;

	std::mutex _mutex;
	std::condition_variable _changed;
	std::deque<Item> _queue;
	std::size_t _queuedBytes = 0;
	bool _dropUntilKeyframe = false;
	bool _closed = false;             // the writer finished: ignore further callbacks
	std::optional<EndReason> _stopRequest;
	std::uint64_t _dropped = 0;

	StreamMuxer _muxer;                  // writer thread only
	RecorderResult _result;              // set by the writer before it exits
	std::atomic<double> _seconds{0};
	std::thread _thread;
};

} // namespace camsvc::recording

#endif // CAMSVC_RECORDING_RECORDER_H
