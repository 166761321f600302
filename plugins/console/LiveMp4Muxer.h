//
// LiveMp4Muxer.h
//
// Remuxes a camera's H.264 packets (no re-encode) into fragmented MP4 for
// Media Source Extensions: an init segment (ftyp + moov, no samples) and then
// one fragment (prft + moof + mdat) per packet, each handed to the sink whole
// and at once, so a browser can append every chunk to a SourceBuffer as it
// comes and a frame is on the wire as soon as the encoder produced it. The
// prft box (ISO 14496-12 producer reference time) carries the wall clock at
// which the fragment was muxed, i.e. when its frame left the encoder, so a
// player can measure how late it shows it. Media time starts at 0 with the
// first (key)frame. Transport-independent: the sink
// decides where the bytes go. Not thread-safe: one thread feeds it.
//

#ifndef CAMSVC_CONSOLE_LIVEMP4MUXER_H
#define CAMSVC_CONSOLE_LIVEMP4MUXER_H

#include "FfmpegHelpers.h"
#include "camsvc/sdk/CameraService.h"
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" {
#include <libavformat/avformat.h>
}

namespace camsvc::console {

class LiveMp4Muxer
{
public:
	using Sink = std::function<bool(std::string_view chunk, bool keyframe)>;
		/// One whole chunk (the init segment, or one fragment) per call. false:
		/// the chunk was not taken (a slow viewer); the muxer goes on.

	explicit LiveMp4Muxer(Sink sink);
	~LiveMp4Muxer();

	LiveMp4Muxer(const LiveMp4Muxer&) = delete;
	LiveMp4Muxer& operator=(const LiveMp4Muxer&) = delete;

	void begin(const sdk::StreamInfo& info);
		/// Writes the init segment. Once only. Throws std::runtime_error.
	bool write(const AVPacket& packet);
		/// One packet (StreamInfo time base) as one fragment; the sink's
		/// answer. Packets before the first keyframe are skipped (false).
		/// Throws std::runtime_error when the muxer fails.

	bool started() const { return _context != nullptr; }
	static std::string mimeType(const sdk::StreamInfo& info);
		/// 'video/mp4; codecs="avc1.PPCCLL"' from the stream's SPS, for
		/// MediaSource.isTypeSupported() and addSourceBuffer().
	static std::string codecString(const AVCodecParameters& parameters);
		/// "avc1.64001f" from an avcC or Annex B extradata; the Baseline 3.0
		/// "avc1.42e01e" when it holds no SPS.

private:
	static int collect(void* opaque, media::AvioWriteBuffer buffer, int size);
	bool deliver(bool keyframe);

	Sink _sink;
	sdk::StreamInfo _info;
	AVFormatContext* _context = nullptr;
	AVIOContext* _avio = nullptr;
	AVPacket* _packet = nullptr;
	std::string _pending;                    // what the muxer wrote since the last delivery
	std::int64_t _frameDuration = 0;         // in the input time base
	std::int64_t _firstDts = AV_NOPTS_VALUE; // input time base
	media::IncreasingDts _dts;               // after the rebase, input time base
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_LIVEMP4MUXER_H
