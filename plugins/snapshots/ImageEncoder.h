//
// ImageEncoder.h
//
// Encodes one decoded frame as a JPEG (libavcodec mjpeg, full-range yuv420p)
// or a PNG (rgb24), in-process: no ffmpeg child process, no temporary input.
// Creating the codec context per call costs well under a millisecond next to
// the encoding itself (bench/snapshots), so nothing is cached and every call is
// independent: thread-safe.
//

#ifndef CAMSVC_SNAPSHOTS_IMAGEENCODER_H
#define CAMSVC_SNAPSHOTS_IMAGEENCODER_H

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include <libavutil/frame.h>
}

namespace camsvc::snapshots {

enum class ImageFormat { Jpeg, Png };

struct ImageOptions
{
	ImageFormat format = ImageFormat::Jpeg;
	int quality = 90;          // JPEG: 1 (smallest) .. 100 (best)
	int pngCompression = 3;    // PNG: zlib level 0 .. 9
};

std::vector<std::uint8_t> encodeImage(const AVFrame& frame, const ImageOptions& options);
	/// The encoded file's bytes, at the frame's size. Throws std::runtime_error.

int jpegQScale(int quality);
	/// The mjpeg quantizer scale (2 best .. 31 worst) for a 1..100 quality.

} // namespace camsvc::snapshots

#endif // CAMSVC_SNAPSHOTS_IMAGEENCODER_H
