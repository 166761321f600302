//
// FileOutput.h
//
// An AVIOContext over a file descriptor we own, so the recorder can
// fdatasync() what the muxer has written (a power cut then loses at most the
// sync interval, not the kernel's writeback delay) and sees every write error
// with its errno (ENOSPC, EDQUOT, EFBIG) instead of a generic EIO.
//

#ifndef CAMSVC_RECORDING_FILEOUTPUT_H
#define CAMSVC_RECORDING_FILEOUTPUT_H

#include "FfmpegHelpers.h"
#include <cstdint>
#include <string>

extern "C" {
#include <libavformat/avio.h>
#include <libavformat/version.h>
}

namespace camsvc::recording {

class FileOutput
{
public:
	explicit FileOutput(const std::string& path);
		/// Creates path (O_EXCL|O_NOFOLLOW: never over an existing file, never
		/// through a planted link; mode 0644).
		/// Throws std::system_error.
	~FileOutput();

	FileOutput(const FileOutput&) = delete;
	FileOutput& operator=(const FileOutput&) = delete;

	AVIOContext* context() { return _avio; }
		/// Give it to AVFormatContext::pb (with AVFMT_FLAG_CUSTOM_IO); it stays ours.
	void sync();
		/// Flushes the AVIO buffer and fdatasync()s. Errors are remembered.
	std::uint64_t size() const { return _size; }
		/// The file's size as written so far (highest offset).
	int lastError() const { return _error; }
		/// The errno of the first failed write or sync, 0 if none.
	bool commit();
		/// Flushes the AVIO buffer and marks the end of the file as a clean
		/// cut (call it between the muxer's writes, where no box or cluster
		/// is half written). False (and nothing marked) if the flush failed.
	std::uint64_t committed() const { return _committed; }
	bool rollback();
		/// After a failed write or sync (lastError() set; later writes stay
		/// refused): cuts the file back to the last commit(), so it never
		/// ends with a partly written fragment. True if something was cut.
	void close();
		/// Flushes, syncs and closes; idempotent.

private:
	static int writePacket(void* opaque, media::AvioWriteBuffer buf, int size);
	static std::int64_t seek(void* opaque, std::int64_t offset, int whence);

	int _fd = -1;
	AVIOContext* _avio = nullptr;
	std::int64_t _position = 0;
	std::uint64_t _size = 0;
	std::uint64_t _committed = 0;
	int _error = 0;
};

} // namespace camsvc::recording

#endif // CAMSVC_RECORDING_FILEOUTPUT_H
