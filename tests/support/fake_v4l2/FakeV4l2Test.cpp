//
// FakeV4l2Test.cpp
//
// libfake_v4l2.so (preloaded by ctest) behaves as uvcvideo for the ioctl
// sequences v4l2-ctl, libv4l2 and FFmpeg issue, and `ffmpeg -f v4l2` under
// it records decodable frames at the chosen size and rate.
//

#include "MediaCheck.h"
#include "support/ChildProcess.h"
#include "support/FakeV4l2Dir.h"
#include <gtest/gtest.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <thread>
#include <unistd.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

using namespace camsvc::test;

namespace {

const std::string TwoFormats = "{\"fourcc\":\"YUYV\",\"sizes\":[\"640x480\",\"1280x720\"],\"fps\":[30,10]},"
	"{\"fourcc\":\"MJPG\",\"sizes\":[\"1280x720\",\"640x480\"],\"fps\":[30]}";

int xioctl(int fd, unsigned long request, void* arg)
{
	int r;
	do
		r = ::ioctl(fd, request, arg);
	while (r == -1 && errno == EINTR);
	return r;
}

int errnoOf(int fd, unsigned long request, void* arg)
{
	return xioctl(fd, request, arg) == 0 ? 0 : errno;
}

// A streaming client the way v4l2-ctl --stream-mmap does it.
struct Streamer
{
	int fd = -1;
	std::vector<std::pair<void*, std::size_t>> maps;

	explicit Streamer(const std::string& path, int flags = O_RDWR) { fd = ::open(path.c_str(), flags); }
	~Streamer()
	{
		for (auto& [p, n]: maps)
			::munmap(p, n);
		if (fd >= 0)
			::close(fd);
	}

	int setFormat(std::uint32_t fourcc, unsigned w, unsigned h, unsigned fps)
	{
		v4l2_format fmt{};
		fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		fmt.fmt.pix.pixelformat = fourcc;
		fmt.fmt.pix.width = w;
		fmt.fmt.pix.height = h;
		if (xioctl(fd, VIDIOC_S_FMT, &fmt))
			return errno;
		v4l2_streamparm parm{};
		parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		parm.parm.capture.timeperframe = v4l2_fract{1, fps};
		return errnoOf(fd, VIDIOC_S_PARM, &parm);
	}

	int start(unsigned count = 4)
	{
		v4l2_requestbuffers req{};
		req.count = count;
		req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		req.memory = V4L2_MEMORY_MMAP;
		if (xioctl(fd, VIDIOC_REQBUFS, &req))
			return errno;
		for (unsigned i = 0; i < req.count; ++i)
		{
			v4l2_buffer buf{};
			buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
			buf.memory = V4L2_MEMORY_MMAP;
			buf.index = i;
			if (xioctl(fd, VIDIOC_QUERYBUF, &buf))
				return errno;
			void* p = ::mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, buf.m.offset);
			if (p == MAP_FAILED)
				return errno;
			maps.emplace_back(p, buf.length);
			if (xioctl(fd, VIDIOC_QBUF, &buf))
				return errno;
		}
		int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		return errnoOf(fd, VIDIOC_STREAMON, &type);
	}

	int next(v4l2_buffer& buf, int timeoutMs = 3000)
		/// select() then DQBUF, as v4l2-ctl's capture loop.
	{
		fd_set set;
		FD_ZERO(&set);
		FD_SET(fd, &set);
		timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
		int r = ::select(fd + 1, &set, nullptr, nullptr, &tv);
		if (r <= 0)
			return r == 0 ? ETIMEDOUT : errno;
		buf = v4l2_buffer{};
		buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		buf.memory = V4L2_MEMORY_MMAP;
		return errnoOf(fd, VIDIOC_DQBUF, &buf);
	}

	int requeue(v4l2_buffer& buf) { return errnoOf(fd, VIDIOC_QBUF, &buf); }
	const std::uint8_t* data(const v4l2_buffer& buf) const { return static_cast<const std::uint8_t*>(maps[buf.index].first); }
};

struct Decoded
{
	int frames = 0, width = 0, height = 0;
	bool firstKey = false;
};

Decoded decode(AVCodecID codec, const std::vector<std::vector<std::uint8_t>>& packets)
{
	Decoded d;
	AVCodecContext* c = avcodec_alloc_context3(avcodec_find_decoder(codec));
	avcodec_open2(c, nullptr, nullptr);
	AVPacket* p = av_packet_alloc();
	AVFrame* f = av_frame_alloc();
	for (const auto& data: packets)
	{
		av_new_packet(p, static_cast<int>(data.size()));
		std::memcpy(p->data, data.data(), data.size());
		if (avcodec_send_packet(c, p) == 0)
			while (avcodec_receive_frame(c, f) == 0)
			{
				if (d.frames++ == 0)
					d.firstKey = f->key_frame;
				d.width = f->width;
				d.height = f->height;
			}
		av_packet_unref(p);
	}
	avcodec_send_packet(c, nullptr);
	while (avcodec_receive_frame(c, f) == 0)
		++d.frames;
	av_frame_free(&f);
	av_packet_free(&p);
	avcodec_free_context(&c);
	return d;
}

class FakeV4l2Test: public ::testing::Test
{
protected:
	int openNode(const std::string& node, int flags = O_RDWR)
	{
		int fd = ::open(devices.path(node).c_str(), flags);
		EXPECT_GE(fd, 0) << node << ": " << std::strerror(errno);
		return fd;
	}

	int plugAndOpen(const std::string& formats)
		/// video0 with those formats, opened blocking.
	{
		devices.plug("video0", FakeV4l2Dir::camera(formats));
		return openNode("video0");
	}

	FakeV4l2Dir devices;
};

} // namespace

TEST_F(FakeV4l2Test, QueryCapSeparatesTheCaptureNodeFromTheMetadataNode)
{
	devices.plug("video0", FakeV4l2Dir::camera(TwoFormats, "Lab Cam", "usb-0000:00:14.0-3"));
	devices.plug("video1", FakeV4l2Dir::metadataNode("Lab Cam", "usb-0000:00:14.0-3"));
	for (const char* node: {"video0", "video1"})
	{
		int fd = ::open(devices.path(node).c_str(), O_RDWR | O_NONBLOCK);
		ASSERT_GE(fd, 0) << node;
		v4l2_capability cap{};
		ASSERT_EQ(xioctl(fd, VIDIOC_QUERYCAP, &cap), 0);
		EXPECT_STREQ(reinterpret_cast<char*>(cap.driver), "uvcvideo");
		EXPECT_STREQ(reinterpret_cast<char*>(cap.card), "Lab Cam");
		EXPECT_STREQ(reinterpret_cast<char*>(cap.bus_info), "usb-0000:00:14.0-3");
		// The chain's capabilities on both nodes, as uvcvideo reports them: only device_caps tells them apart.
		EXPECT_TRUE(cap.capabilities & V4L2_CAP_VIDEO_CAPTURE);
		EXPECT_TRUE(cap.capabilities & V4L2_CAP_DEVICE_CAPS);
		bool metadata = std::string(node) == "video1";
		EXPECT_EQ((cap.device_caps & V4L2_CAP_VIDEO_CAPTURE) != 0, !metadata);
		EXPECT_EQ((cap.device_caps & V4L2_CAP_META_CAPTURE) != 0, metadata);
		v4l2_fmtdesc desc{};
		desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		EXPECT_EQ(errnoOf(fd, VIDIOC_ENUM_FMT, &desc), metadata ? EINVAL : 0);
		::close(fd);
	}
	EXPECT_EQ(::open(devices.path("video7").c_str(), O_RDWR), -1);
	EXPECT_EQ(errno, ENOENT);
}

TEST_F(FakeV4l2Test, EnumerationReportsTheDeclaredFormatsSizesAndIntervals)
{
	int fd = plugAndOpen(TwoFormats);
	ASSERT_GE(fd, 0);
	v4l2_fmtdesc desc{};
	desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	std::vector<std::uint32_t> formats;
	for (desc.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0; ++desc.index)
		formats.push_back(desc.pixelformat);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(formats, (std::vector<std::uint32_t>{V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG}));
	desc.index = 1;
	ASSERT_EQ(xioctl(fd, VIDIOC_ENUM_FMT, &desc), 0);
	EXPECT_TRUE(desc.flags & V4L2_FMT_FLAG_COMPRESSED);
	EXPECT_STREQ(reinterpret_cast<char*>(desc.description), "Motion-JPEG");

	v4l2_frmsizeenum size{};
	size.pixel_format = V4L2_PIX_FMT_YUYV;
	std::vector<std::pair<unsigned, unsigned>> sizes;
	for (size.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index)
		sizes.emplace_back(size.discrete.width, size.discrete.height);
	EXPECT_EQ(sizes, (std::vector<std::pair<unsigned, unsigned>>{{640, 480}, {1280, 720}}));

	v4l2_frmivalenum interval{};
	interval.pixel_format = V4L2_PIX_FMT_YUYV;
	interval.width = 1280;
	interval.height = 720;
	std::vector<std::pair<unsigned, unsigned>> intervals;
	for (interval.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &interval) == 0; ++interval.index)
		intervals.emplace_back(interval.discrete.numerator, interval.discrete.denominator);
	EXPECT_EQ(intervals, (std::vector<std::pair<unsigned, unsigned>>{{1, 30}, {1, 10}})) << "simplified as uvc_simplify_fraction does";
	interval.index = 0;
	interval.width = 800;
	EXPECT_EQ(errnoOf(fd, VIDIOC_ENUM_FRAMEINTERVALS, &interval), EINVAL);

	v4l2_std_id std = 0;
	EXPECT_EQ(errnoOf(fd, VIDIOC_G_STD, &std), ENOTTY) << "uvcvideo has no TV standards";
	char byte;
	EXPECT_EQ(::read(fd, &byte, 1), -1);
	EXPECT_EQ(errno, EINVAL) << "uvcvideo has no read() I/O";
	::close(fd);
}

TEST_F(FakeV4l2Test, FormatNegotiationAdjustsToTheNearestSupportedModeAsTheDriverDoes)
{
	int fd = plugAndOpen(TwoFormats);
	ASSERT_GE(fd, 0);
	v4l2_format fmt{};
	fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	ASSERT_EQ(xioctl(fd, VIDIOC_G_FMT, &fmt), 0);
	EXPECT_EQ(fmt.fmt.pix.pixelformat, V4L2_PIX_FMT_YUYV);
	EXPECT_EQ(fmt.fmt.pix.width, 640u);

	fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_MJPEG;
	fmt.fmt.pix.width = 1100;
	fmt.fmt.pix.height = 650;
	ASSERT_EQ(xioctl(fd, VIDIOC_TRY_FMT, &fmt), 0);
	EXPECT_EQ(fmt.fmt.pix.width, 1280u);
	EXPECT_EQ(fmt.fmt.pix.height, 720u);
	EXPECT_EQ(fmt.fmt.pix.sizeimage, 1280u * 720 * 2);

	fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_RGB24; // not offered: the default format instead, no error
	fmt.fmt.pix.width = 1000;
	fmt.fmt.pix.height = 600;
	ASSERT_EQ(xioctl(fd, VIDIOC_S_FMT, &fmt), 0);
	EXPECT_EQ(fmt.fmt.pix.pixelformat, V4L2_PIX_FMT_YUYV);
	EXPECT_EQ(fmt.fmt.pix.width, 640u);
	EXPECT_EQ(fmt.fmt.pix.bytesperline, 1280u);

	v4l2_streamparm parm{};
	parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	parm.parm.capture.timeperframe = v4l2_fract{1, 12};
	ASSERT_EQ(xioctl(fd, VIDIOC_S_PARM, &parm), 0);
	EXPECT_EQ(parm.parm.capture.timeperframe.denominator, 10u) << "nearest interval";
	EXPECT_TRUE(parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME);
	parm = v4l2_streamparm{};
	parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	ASSERT_EQ(xioctl(fd, VIDIOC_G_PARM, &parm), 0);
	EXPECT_EQ(parm.parm.capture.timeperframe.numerator, 1u);
	EXPECT_EQ(parm.parm.capture.timeperframe.denominator, 10u);
	::close(fd);
}

TEST_F(FakeV4l2Test, MmapStreamingDeliversFullRawFramesAtTheChosenRate)
{
	devices.plug("video0", FakeV4l2Dir::camera(TwoFormats));
	Streamer s(devices.path("video0"));
	ASSERT_EQ(s.setFormat(V4L2_PIX_FMT_YUYV, 640, 480, 30), 0);
	ASSERT_EQ(s.start(4), 0);
	std::vector<v4l2_buffer> got;
	for (int i = 0; i < 7; ++i)
	{
		v4l2_buffer buf{};
		ASSERT_EQ(s.next(buf), 0);
		EXPECT_EQ(buf.bytesused, 640u * 480 * 2);
		EXPECT_TRUE(buf.flags & V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC);
		got.push_back(buf);
		ASSERT_EQ(s.requeue(buf), 0);
	}
	for (std::size_t i = 1; i < got.size(); ++i)
		EXPECT_GT(got[i].sequence, got[i - 1].sequence);
	auto micros = [](const timeval& t) { return t.tv_sec * 1000000LL + t.tv_usec; };
	double period = static_cast<double>(micros(got.back().timestamp) - micros(got.front().timestamp)) / (got.back().sequence - got.front().sequence);
	EXPECT_NEAR(period, 33333, 10000) << "frames paced at 1/30 s";
	EXPECT_NE(std::memcmp(s.data(got[0]), s.data(got[1]), 640 * 2), 0) << "the pattern moves";

	pollfd p{s.fd, POLLIN, 0};
	EXPECT_EQ(::poll(&p, 1, 2000), 1);
	EXPECT_TRUE(p.revents & POLLIN);
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	EXPECT_EQ(xioctl(s.fd, VIDIOC_STREAMOFF, &type), 0);
	v4l2_buffer buf{};
	buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	buf.memory = V4L2_MEMORY_MMAP;
	EXPECT_EQ(errnoOf(s.fd, VIDIOC_DQBUF, &buf), EINVAL) << "not streaming";
}

TEST_F(FakeV4l2Test, CompressedFormatsCarryRealJpegAndH264)
{
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"MJPG\",\"sizes\":[\"320x240\"],\"fps\":[30]},"
		"{\"fourcc\":\"H264\",\"sizes\":[\"320x240\"],\"fps\":[30]}"));
	for (auto [fourcc, codec]: {std::pair{V4L2_PIX_FMT_MJPEG, AV_CODEC_ID_MJPEG}, std::pair{V4L2_PIX_FMT_H264, AV_CODEC_ID_H264}})
	{
		Streamer s(devices.path("video0"));
		ASSERT_EQ(s.setFormat(fourcc, 320, 240, 30), 0);
		ASSERT_EQ(s.start(4), 0);
		std::vector<std::vector<std::uint8_t>> packets;
		for (int i = 0; i < 5; ++i)
		{
			v4l2_buffer buf{};
			ASSERT_EQ(s.next(buf), 0);
			packets.emplace_back(s.data(buf), s.data(buf) + buf.bytesused);
			EXPECT_LT(buf.bytesused, 320u * 240 * 2);
			ASSERT_EQ(s.requeue(buf), 0);
		}
		Decoded d = decode(codec, packets);
		EXPECT_EQ(d.frames, 5) << avcodec_get_name(codec);
		EXPECT_EQ(d.width, 320);
		EXPECT_EQ(d.height, 240);
		EXPECT_TRUE(d.firstKey);
	}
}

TEST_F(FakeV4l2Test, ASecondHandleIsBusyWhileTheFirstHoldsTheDevice)
{
	devices.plug("video0", FakeV4l2Dir::camera(TwoFormats));
	auto first = std::make_unique<Streamer>(devices.path("video0"));
	ASSERT_EQ(first->setFormat(V4L2_PIX_FMT_YUYV, 640, 480, 30), 0);
	ASSERT_EQ(first->start(2), 0);

	Streamer second(devices.path("video0"));
	v4l2_capability cap{};
	EXPECT_EQ(xioctl(second.fd, VIDIOC_QUERYCAP, &cap), 0) << "querying needs no privilege";
	v4l2_format fmt{};
	fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	EXPECT_EQ(xioctl(second.fd, VIDIOC_G_FMT, &fmt), 0);
	EXPECT_EQ(second.setFormat(V4L2_PIX_FMT_YUYV, 640, 480, 30), EBUSY);
	EXPECT_EQ(second.start(2), EBUSY);
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	EXPECT_EQ(errnoOf(second.fd, VIDIOC_STREAMON, &type), EBUSY);

	first.reset(); // close() gives the device up
	EXPECT_EQ(second.setFormat(V4L2_PIX_FMT_MJPEG, 640, 480, 30), 0);
	EXPECT_EQ(second.start(2), 0);
	v4l2_buffer buf{};
	EXPECT_EQ(second.next(buf), 0);
}

TEST_F(FakeV4l2Test, UnplugFailsEveryLaterCallWithEnodevAndWakesABlockedDequeue)
{
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\"],\"fps\":[1]}"));
	Streamer s(devices.path("video0"));
	ASSERT_EQ(s.setFormat(V4L2_PIX_FMT_YUYV, 320, 240, 1), 0);
	ASSERT_EQ(s.start(2), 0);
	int dequeued = -1;
	std::uint32_t flags = 0;
	auto started = std::chrono::steady_clock::now();
	std::thread blocked([&] {
		v4l2_buffer buf{};
		buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		buf.memory = V4L2_MEMORY_MMAP;
		dequeued = errnoOf(s.fd, VIDIOC_DQBUF, &buf); // the first frame is a second away
		flags = buf.flags;
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let the DQBUF block: there is no event to wait for
	devices.unplug("video0");
	blocked.join();
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(600));
	EXPECT_EQ(dequeued, 0) << "uvc_queue_cancel() hands the queued buffers back";
	EXPECT_TRUE(flags & V4L2_BUF_FLAG_ERROR);

	v4l2_buffer buf{};
	buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	buf.memory = V4L2_MEMORY_MMAP;
	EXPECT_EQ(errnoOf(s.fd, VIDIOC_DQBUF, &buf), ENODEV);
	EXPECT_EQ(errnoOf(s.fd, VIDIOC_QBUF, &buf), ENODEV);
	v4l2_capability cap{};
	EXPECT_EQ(errnoOf(s.fd, VIDIOC_QUERYCAP, &cap), ENODEV);
	pollfd p{s.fd, POLLIN, 0};
	EXPECT_EQ(::poll(&p, 1, 1000), 1);
	EXPECT_EQ(p.revents & (POLLERR | POLLHUP), POLLERR | POLLHUP);
	EXPECT_EQ(::mmap(nullptr, 4096, PROT_READ, MAP_SHARED, s.fd, 0), MAP_FAILED);
	EXPECT_EQ(errno, ENODEV);

	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\"],\"fps\":[1]}"));
	EXPECT_EQ(errnoOf(s.fd, VIDIOC_QUERYCAP, &cap), ENODEV) << "a replugged camera is a new device";
	int fresh = ::open(devices.path("video0").c_str(), O_RDWR);
	ASSERT_GE(fresh, 0);
	EXPECT_EQ(xioctl(fresh, VIDIOC_QUERYCAP, &cap), 0);
	::close(fresh);
}

TEST_F(FakeV4l2Test, Libv4l2SeesTheDeviceThroughItsSyscalls)
{
	devices.plug("video0", FakeV4l2Dir::camera(TwoFormats));
	int fd = v4l2_open(devices.path("video0").c_str(), O_RDWR | O_NONBLOCK);
	ASSERT_GE(fd, 0) << std::strerror(errno);
	v4l2_capability cap{};
	ASSERT_EQ(v4l2_ioctl(fd, VIDIOC_QUERYCAP, &cap), 0);
	EXPECT_STREQ(reinterpret_cast<char*>(cap.card), "Fake UVC Camera");
	std::vector<std::uint32_t> native;
	v4l2_fmtdesc desc{};
	desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	for (desc.index = 0; v4l2_ioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0; ++desc.index)
		if (!(desc.flags & V4L2_FMT_FLAG_EMULATED))
			native.push_back(desc.pixelformat);
	EXPECT_EQ(native, (std::vector<std::uint32_t>{V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG}));
	EXPECT_EQ(v4l2_close(fd), 0);
}

TEST_F(FakeV4l2Test, FfmpegCapturesDecodableFramesAtTheChosenSizeAndRate)
{
	devices.plug("video0", FakeV4l2Dir::camera("{\"fourcc\":\"YUYV\",\"sizes\":[\"320x240\",\"640x480\"],\"fps\":[30,15]},"
		"{\"fourcc\":\"MJPG\",\"sizes\":[\"640x480\"],\"fps\":[30,15]},{\"fourcc\":\"H264\",\"sizes\":[\"640x480\"],\"fps\":[15]}"));
	struct Case { const char* inputFormat; const char* size; const char* codec; int width; };
	for (const Case& c: {Case{"yuyv422", "320x240", "rawvideo", 320}, Case{"mjpeg", "640x480", "mjpeg", 640},
		Case{"h264", "640x480", "h264", 640}})
	{
		std::string out = devices.dir() + "/capture-" + c.inputFormat + ".nut";
		ChildProcess ffmpeg({"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "v4l2", "-input_format", c.inputFormat,
			"-video_size", c.size, "-framerate", "15", "-i", devices.path("video0"), "-frames:v", "8", "-c", "copy", "-y", out},
			devices.dir() + "/ffmpeg.log");
		ASSERT_EQ(ffmpeg.stop(0, 20000), 0) << ffmpeg.output();
		MediaSummary m = decodeMedia(out);
		EXPECT_EQ(m.codec, c.codec) << c.inputFormat;
		EXPECT_EQ(m.width, c.width) << c.inputFormat;
		EXPECT_EQ(m.frames, 8) << c.inputFormat;
		EXPECT_EQ(m.decodeErrors, 0) << c.inputFormat;
		EXPECT_NEAR(m.seconds, 8 / 15.0, 2.5 / 15) << c.inputFormat << ": 8 frames at the chosen rate (last one with or without its duration)";
	}
}
