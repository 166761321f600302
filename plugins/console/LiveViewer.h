//
// LiveViewer.h
//
// One browser watching one camera: a PacketSink on the camera's pipeline
// that remuxes every packet into a fragmented-MP4 chunk (LiveMp4Muxer) and
// queues it for the connection (ChunkQueue). A viewer that falls behind by
// more than the queue's limit loses fragments and resumes at the next
// keyframe, so it never holds more than the limit and never makes the
// pipeline wait. The stream ends (the queue is closed with a reason) when the
// camera stops or restarts: the page then reconnects and gets a new init
// segment.
//

#ifndef CAMSVC_CONSOLE_LIVEVIEWER_H
#define CAMSVC_CONSOLE_LIVEVIEWER_H

#include "ChunkQueue.h"
#include "LiveMp4Muxer.h"
#include "camsvc/sdk/CameraService.h"
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace camsvc::console {

class LiveViewer: public sdk::PacketSink
{
public:
	explicit LiveViewer(std::size_t queueLimitBytes);

	void onStreamStart(const sdk::StreamInfo& info) override;
	void onPacket(const AVPacket& packet) override;
	void onStreamEnd(sdk::StreamEnd reason, const std::string& detail) override;

	ChunkQueue& queue() { return _queue; }
		/// The first chunk is the init segment; mimeType() is set before it
		/// is queued.
	std::string mimeType() const;
	std::uint64_t droppedFragments() const { return _dropped.load(); }

private:
	bool push(std::string_view chunk, bool keyframe);

	ChunkQueue _queue;
	LiveMp4Muxer _muxer;
	sdk::StreamInfo _info;
	bool _announced = false;
	bool _skipping = false; // a fragment was refused: wait for a keyframe
	mutable std::mutex _mutex;
	std::string _mimeType;
	std::atomic<std::uint64_t> _dropped{0};
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_LIVEVIEWER_H
