//
// ImageEncoderTest.cpp
//
// The in-process image encoder on generated frames of the pixel formats
// pipelines deliver (yuv420p, rgb24, yuyv422): JPEG and PNG decode back at the
// frame's size with the picture intact, quality changes the JPEG size, and
// the filename extension helper.
//

#include "ImageEncoder.h"
#include "MediaCheck.h"
#include "SnapshotTaker.h"
#include <Poco/TemporaryFile.h>
#include <fstream>
#include <gtest/gtest.h>

extern "C" {
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

using namespace camsvc::snapshots;
using namespace camsvc::test;

namespace {

std::shared_ptr<AVFrame> gradient(int width, int height, AVPixelFormat format)
	/// A luma gradient converted to format.
{
	std::shared_ptr<AVFrame> gray(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
	gray->format = AV_PIX_FMT_GRAY8;
	gray->width = width;
	gray->height = height;
	av_frame_get_buffer(gray.get(), 0);
	for (int y = 0; y < height; ++y)
		for (int x = 0; x < width; ++x)
			gray->data[0][y * gray->linesize[0] + x] = static_cast<std::uint8_t>(16 + (x * 200) / width);
	std::shared_ptr<AVFrame> out(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
	out->format = format;
	out->width = width;
	out->height = height;
	av_frame_get_buffer(out.get(), 0);
	SwsContext* sws = sws_getContext(width, height, AV_PIX_FMT_GRAY8, width, height, format, SWS_POINT, nullptr, nullptr, nullptr);
	sws_scale(sws, gray->data, gray->linesize, 0, height, out->data, out->linesize);
	sws_freeContext(sws);
	return out;
}

MediaSummary decodeBytes(const std::vector<std::uint8_t>& bytes, const std::string& extension)
{
	Poco::TemporaryFile file;
	std::string path = file.path() + "." + extension;
	std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
	MediaSummary m = decodeMedia(path);
	std::remove(path.c_str());
	return m;
}

} // namespace

TEST(ImageEncoder, JpegAndPngDecodeAtTheFrameSize)
{
	for (AVPixelFormat format: {AV_PIX_FMT_YUV420P, AV_PIX_FMT_RGB24, AV_PIX_FMT_YUYV422})
	{
		auto frame = gradient(320, 240, format);
		for (ImageFormat image: {ImageFormat::Jpeg, ImageFormat::Png})
		{
			ImageOptions o;
			o.format = image;
			auto bytes = encodeImage(*frame, o);
			bool jpeg = image == ImageFormat::Jpeg;
			ASSERT_GT(bytes.size(), 100u);
			if (jpeg)
			{
				EXPECT_EQ(bytes[0], 0xFF);
				EXPECT_EQ(bytes[1], 0xD8);
			}
			else
			{
				EXPECT_EQ(std::string(bytes.begin() + 1, bytes.begin() + 4), "PNG");
			}
			MediaSummary m = decodeBytes(bytes, jpeg ? "jpg" : "png");
			EXPECT_EQ(m.codec, jpeg ? "mjpeg" : "png") << av_get_pix_fmt_name(format);
			EXPECT_EQ(m.width, 320);
			EXPECT_EQ(m.height, 240);
			ASSERT_EQ(m.firstFrame.size(), 320u * 240u);
			// Left dark, right bright: the gradient survived (first plane: Y or R).
			EXPECT_LT(m.firstFrame[120 * 320 + 10], m.firstFrame[120 * 320 + 300]) << av_get_pix_fmt_name(format);
		}
	}
}

TEST(ImageEncoder, QualityTradesSizeForFidelity)
{
	EXPECT_EQ(jpegQScale(100), 2);
	EXPECT_EQ(jpegQScale(1), 31);
	EXPECT_EQ(jpegQScale(500), 2);
	auto frame = gradient(640, 480, AV_PIX_FMT_YUV420P);
	// Noise makes the sizes differ clearly.
	for (int y = 0; y < 480; ++y)
		for (int x = 0; x < 640; ++x)
			frame->data[0][y * frame->linesize[0] + x] ^= static_cast<std::uint8_t>((x * 7919 + y * 104729) % 61);
	ImageOptions high, low;
	high.quality = 95;
	low.quality = 10;
	EXPECT_GT(encodeImage(*frame, high).size(), 2 * encodeImage(*frame, low).size());
}

TEST(ImageEncoder, RejectsAnEmptyFrame)
{
	std::shared_ptr<AVFrame> empty(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
	EXPECT_THROW(encodeImage(*empty, ImageOptions()), std::runtime_error);
}

TEST(SnapshotNames, ExtensionOf)
{
	EXPECT_EQ(extensionOf("a.JPG"), "jpg");
	EXPECT_EQ(extensionOf("a.b.png"), "png");
	EXPECT_EQ(extensionOf("noext"), "");
	EXPECT_EQ(extensionOf("trailing."), "");
	EXPECT_EQ(extensionOf("dir.d/name"), "");
}
