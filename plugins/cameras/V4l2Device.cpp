#include "V4l2Device.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <set>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <unistd.h>

namespace camsvc::cameras {

std::string fourccName(unsigned int f)
{
	std::string s;
	for (int i = 0; i < 4; ++i)
	{
		char c = static_cast<char>((f >> (8 * i)) & 0xFF);
		if (c != ' ' && c != '\0')
			s += c;
	}
	return s;
}

std::string friendlyFormat(const std::string& fourcc)
{
	return fourcc == "MJPG" ? "MJPEG" : fourcc;
}

int videoIndex(const std::string& name)
{
	if (name.size() <= 5 || name.compare(0, 5, "video") != 0)
		return -1;
	int n = 0;
	for (std::size_t i = 5; i < name.size(); ++i)
	{
		if (name[i] < '0' || name[i] > '9' || n > 100000)
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n;
}

namespace {

int xioctl(int fd, unsigned long request, void* arg)
{
	int r;
	do
		r = v4l2_ioctl(fd, request, arg);
	while (r == -1 && errno == EINTR);
	return r;
}

std::vector<double> enumerateRates(int fd, unsigned int pixelFormat, int width, int height)
{
	std::vector<double> rates;
	v4l2_frmivalenum interval{};
	interval.pixel_format = pixelFormat;
	interval.width = static_cast<unsigned>(width);
	interval.height = static_cast<unsigned>(height);
	for (interval.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &interval) == 0 && interval.index < 64; ++interval.index)
	{
		if (interval.type != V4L2_FRMIVAL_TYPE_DISCRETE || interval.discrete.numerator == 0)
			break;
		rates.push_back(static_cast<double>(interval.discrete.denominator) / interval.discrete.numerator);
	}
	return rates;
}

void enumerateSizes(int fd, unsigned int pixelFormat, V4l2Format& format)
{
	v4l2_frmsizeenum size{};
	size.pixel_format = pixelFormat;
	for (size.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0 && size.index < 64; ++size.index)
	{
		if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE)
			format.sizes.emplace_back(size.discrete.width, size.discrete.height);
		else
		{
			// Stepwise/continuous: report the bounds.
			format.sizes.emplace_back(size.stepwise.min_width, size.stepwise.min_height);
			format.sizes.emplace_back(size.stepwise.max_width, size.stepwise.max_height);
			break;
		}
	}
	std::set<double, std::greater<double>> all;
	for (const auto& [w, h]: format.sizes)
	{
		format.rates.push_back(enumerateRates(fd, pixelFormat, w, h));
		all.insert(format.rates.back().begin(), format.rates.back().end());
	}
	format.fps.assign(all.begin(), all.end());
}

} // namespace

std::optional<V4l2Capabilities> probeV4l2(const std::string& devicePath, std::string* error)
{
	int fd = v4l2_open(devicePath.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
	{
		if (error) *error = std::string("open: ") + std::strerror(errno);
		return std::nullopt;
	}
	v4l2_capability cap{};
	if (xioctl(fd, VIDIOC_QUERYCAP, &cap) != 0)
	{
		if (error) *error = std::string("VIDIOC_QUERYCAP: ") + std::strerror(errno);
		v4l2_close(fd);
		return std::nullopt;
	}
	V4l2Capabilities caps;
	caps.card = reinterpret_cast<const char*>(cap.card);
	caps.driver = reinterpret_cast<const char*>(cap.driver);
	caps.busInfo = reinterpret_cast<const char*>(cap.bus_info);
	std::uint32_t device = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
	caps.capture = (device & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) && (device & V4L2_CAP_STREAMING);
	if (caps.capture)
	{
		v4l2_fmtdesc desc{};
		desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		for (desc.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0 && desc.index < 64; ++desc.index)
		{
			if (desc.flags & V4L2_FMT_FLAG_EMULATED)
				continue;
			V4l2Format format;
			format.fourcc = fourccName(desc.pixelformat);
			format.description = reinterpret_cast<const char*>(desc.description);
			enumerateSizes(fd, desc.pixelformat, format);
			caps.formats.push_back(std::move(format));
		}
	}
	v4l2_close(fd);
	return caps;
}

} // namespace camsvc::cameras
