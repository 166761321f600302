//
// MediaCheck.h
//
// Test helpers for capture files: decode a file completely with libavformat
// and libavcodec (what a player would do) and report what it holds; and an
// H.264 test stream (libx264 over a moving pattern) that feeds a PacketSink
// exactly like a camera pipeline does (microsecond timestamps, 1 s GOP,
// SPS/PPS in extradata and in band).
//

#ifndef CAMSVC_TEST_MEDIACHECK_H
#define CAMSVC_TEST_MEDIACHECK_H

#include "camsvc/sdk/CameraService.h"
#include <gtest/gtest.h>
#include <ostream>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace camsvc::test {

struct MediaSummary
{
	bool opened = false;
	std::string container;   // demuxer name
	std::string codec;       // "h264", "mjpeg", "png"
	int width = 0;
	int height = 0;
	int frames = 0;          // decoded frames
	int decodeErrors = 0;
	double seconds = 0;      // last frame end - first frame start
	std::vector<std::uint8_t> firstFrame; // the first decoded frame's luma/first plane, row by row
};

MediaSummary decodeMedia(const std::string& path);
	/// Opens and decodes every frame of the file's first video stream.

struct ExpectedVideo
{
	std::string codec;
	int width = 0;
	int height = 0;
	int frames = 0;
	double seconds = 0;
	double tolerance = 0.05; // seconds
};

std::ostream& operator<<(std::ostream& out, const MediaSummary& m);

::testing::AssertionResult decodesAs(const MediaSummary& m, const ExpectedVideo& expected);
	/// EXPECT_TRUE(decodesAs(decodeMedia(path), {"h264", 320, 240, 75, 3.0})):
	/// opened, that codec, size and frame count, no decode error, that long.

double meanAbsoluteDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b);

std::string readFileBytes(const std::string& path);

class H264TestStream
	/// libx264, ultrafast/zerolatency, GOP = one second, yuv420p.
{
public:
	H264TestStream(int width, int height, int fps);
	~H264TestStream();

	const sdk::StreamInfo& info() const { return _info; }
	void feed(sdk::PacketSink& sink, double seconds, bool announce = true);
		/// Encodes seconds of frames and hands every packet to sink
		/// (onStreamStart first when announce), as fast as it can.
	std::vector<std::shared_ptr<AVPacket>> packets(double seconds);
		/// The next seconds of packets, for a caller that paces them.

private:
	int _width, _height, _fps;
	std::int64_t _frame = 0;
	std::int64_t _picture = 0;
	struct AVCodecContext* _encoder = nullptr;
	struct AVFrame* _image = nullptr;
	sdk::StreamInfo _info;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_MEDIACHECK_H
