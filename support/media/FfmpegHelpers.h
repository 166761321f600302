//
// FfmpegHelpers.h
//
// Small FFmpeg helpers the media plugins share (header-only, target
// camsvc::media): an error code's text, the AVIO write callback's buffer
// type across libavformat versions, and decode timestamps kept strictly
// increasing for the muxers.
//

#ifndef CAMSVC_MEDIA_FFMPEGHELPERS_H
#define CAMSVC_MEDIA_FFMPEGHELPERS_H

#include <cstdint>
#include <string>

extern "C" {
#include <libavformat/version.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
}

namespace camsvc::media {

inline std::string averror(int code)
	/// FFmpeg's text for an AVERROR code.
{
	char text[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(code, text, sizeof text);
	return text;
}

#if LIBAVFORMAT_VERSION_MAJOR >= 61
using AvioWriteBuffer = const std::uint8_t*;
#else
using AvioWriteBuffer = std::uint8_t*;
#endif
	/// The buffer parameter of an avio_alloc_context() write callback.

struct IncreasingDts
	/// Muxers refuse a dts that does not increase: a packet at or before the
	/// last one is moved to just after it (its pts with it).
{
	std::int64_t last = AV_NOPTS_VALUE;

	void apply(std::int64_t& dts, std::int64_t& pts)
	{
		if (last != AV_NOPTS_VALUE && dts <= last)
		{
			pts += last + 1 - dts;
			dts = last + 1;
		}
		last = dts;
	}
};

} // namespace camsvc::media

#endif // CAMSVC_MEDIA_FFMPEGHELPERS_H
