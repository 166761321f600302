//
// FrameSource.h
//
// The pictures a fake camera sends: a moving pattern (a bright bar sweeping
// across a gradient, one sweep per loop), as raw YUYV, as real JPEG
// (FFmpeg's mjpeg encoder, 4:2:2 full range like UVC webcams send) or as
// real H.264 (libx264, Annex B with SPS/PPS before every IDR, like a UVC
// H.264 camera's payload).
//
// Frames are made on first use and kept: the pattern loops every
// loopLength frames, and for H.264 the loop is one closed GOP (an IDR and
// P frames), so replaying it is a valid stream. A 640x480 loop costs its
// encoding once, not at every frame.
//

#ifndef CAMSVC_FAKEV4L2_FRAMESOURCE_H
#define CAMSVC_FAKEV4L2_FRAMESOURCE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace camsvc::fakev4l2 {

class FrameSource
{
public:
	FrameSource(std::uint32_t fourcc, unsigned width, unsigned height, unsigned loopLength);
	~FrameSource();

	FrameSource(const FrameSource&) = delete;
	FrameSource& operator=(const FrameSource&) = delete;

	const std::vector<std::uint8_t>& frame(std::uint64_t sequence);
		/// Frame sequence % loopLength; empty if encoding failed (error() says why).
	const std::string& error() const { return _error; }

private:
	struct Encoder;
	void pattern(unsigned index, std::uint8_t* yuyv) const;
	std::vector<std::uint8_t> encode(unsigned index);

	const std::uint32_t _fourcc;
	const unsigned _width;
	const unsigned _height;
	const unsigned _loop;
	std::vector<std::vector<std::uint8_t>> _frames;
	std::unique_ptr<Encoder> _encoder;
	std::string _error;
};

} // namespace camsvc::fakev4l2

#endif // CAMSVC_FAKEV4L2_FRAMESOURCE_H
