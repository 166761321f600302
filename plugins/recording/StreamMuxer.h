//
// StreamMuxer.h
//
// Remuxes one camera's H.264 packets (no re-encode) into a file: fragmented
// MP4 (a fragment per keyframe and at most every fragment_ms, so a crash
// loses at most the fragment being built) or Matroska (clusters of at most
// fragment_ms). The header is written at the first begin(), when the codec
// parameters are known. Timestamps start at 0 and continue across a
// pipeline restart. Not thread-safe: one writer thread uses it.
//

#ifndef CAMSVC_RECORDING_STREAMMUXER_H
#define CAMSVC_RECORDING_STREAMMUXER_H

#include "FfmpegHelpers.h"
#include "FileOutput.h"
#include "camsvc/sdk/CameraService.h"
#include <memory>
#include <stdexcept>
#include <string>

extern "C" {
#include <libavformat/avformat.h>
}

namespace camsvc::recording {

struct MuxError: std::runtime_error
	/// A failed write: errorNumber is the errno when the file system said no
	/// (ENOSPC, EDQUOT, EFBIG, EIO), else 0.
{
	MuxError(const std::string& what, int errorNumber): std::runtime_error(what), errorNumber(errorNumber) {}
	bool storageFull() const;
	int errorNumber;
};

struct StreamChanged: std::runtime_error
	/// The pipeline restarted with a different size or codec: the file cannot go on.
{
	using std::runtime_error::runtime_error;
};

class StreamMuxer
{
public:
	StreamMuxer(std::string path, std::string format, int fragmentMs);
		/// format: "mp4" or "mkv". Nothing is created yet.
	~StreamMuxer();

	StreamMuxer(const StreamMuxer&) = delete;
	StreamMuxer& operator=(const StreamMuxer&) = delete;

	void begin(const sdk::StreamInfo& info);
		/// Creates the file and writes the header on the first call; later
		/// calls (the pipeline restarted) continue the timeline. Throws
		/// MuxError, StreamChanged, std::system_error (file exists).
	void write(const AVPacket& packet);
		/// One packet in the StreamInfo time base; ignored before begin().
		/// Throws MuxError.
	void finish();
		/// Writes the trailer and closes the file; idempotent. Throws MuxError
		/// if the trailer could not be written (the file is still closed).
		/// After a failed write the file is first cut back to the last
		/// complete fragment / cluster, and durationSeconds() and bytes()
		/// then count only what it holds.
	void sync();
		/// fdatasync()s what was written.

	bool started() const { return _output != nullptr; }
		/// The file was created.
	double durationSeconds() const;
		/// Media time written: last packet's end minus the first's start.
	std::uint64_t bytes() const { return _output ? _output->size() : 0; }
	std::int64_t packets() const { return _packets; }

private:
	void open(const sdk::StreamInfo& info);
	[[noreturn]] void fail(const std::string& what, int rc);
	[[noreturn]] void abandon(const std::string& what, int rc);
		/// fail() after a half-opened muxer: frees it and closes the file.

	const std::string _path;
	const std::string _format;
	const int _fragmentMs;
	std::unique_ptr<FileOutput> _output;
	AVFormatContext* _context = nullptr;
	AVPacket* _packet = nullptr;
	sdk::StreamInfo _info;
	std::int64_t _frameDuration = 0;     // in the input time base
	std::int64_t _offset = 0;            // input dts - output dts (input time base)
	bool _rebase = true;                 // compute _offset at the next packet
	media::IncreasingDts _dts;           // output, input time base
	std::int64_t _end = 0;               // max(pts + duration), output, input time base
	std::int64_t _committedEnd = 0;      // _end of the packets in the file's committed bytes
	std::int64_t _packets = 0;
	bool _finished = false;
};

} // namespace camsvc::recording

#endif // CAMSVC_RECORDING_STREAMMUXER_H
