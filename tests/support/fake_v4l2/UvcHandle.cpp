//
// UvcHandle.cpp
//

#include "UvcHandle.h"
#include "Real.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <map>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace camsvc::fakev4l2 {

// What uvcvideo keeps per device rather than per file handle (struct
// uvc_streaming: cur_format, cur_frame, ctrl.dwFrameInterval), shared by
// the handles of one process.
struct DeviceState
{
	std::mutex mutex;
	std::size_t format = 0;
	std::size_t frame = 0;
	std::uint32_t interval = 0;
	std::uint32_t metaBufferSize = 10240; // UVC_METADATA_BUF_MIN_SIZE
};

namespace {

constexpr unsigned MaxBuffers = 32;                        // VIDEO_MAX_FRAME, vb2's limit
constexpr std::uint32_t KernelVersion = (6u << 16) | (1u << 8);

std::shared_ptr<DeviceState> deviceState(dev_t dev, ino_t ino, const DeviceSpec& spec)
{
	static std::mutex mutex;
	static std::map<std::pair<dev_t, ino_t>, std::weak_ptr<DeviceState>> states;
	std::lock_guard lock(mutex);
	auto& weak = states[{dev, ino}];
	auto state = weak.lock();
	if (!state)
	{
		state = std::make_shared<DeviceState>();
		if (!spec.formats.empty())
			state->interval = spec.formats[0].intervals[0];
		weak = state;
	}
	return state;
}

void simplifyFraction(std::uint32_t& numerator, std::uint32_t& denominator, unsigned terms, unsigned threshold)
	/// uvc_simplify_fraction(): a continued fraction cut at the first large term.
{
	std::uint32_t an[16];
	std::uint32_t x = numerator, y = denominator, r;
	unsigned n;
	for (n = 0; n < terms && y != 0; ++n)
	{
		an[n] = x / y;
		if (an[n] >= threshold)
		{
			if (n < 2)
				n++;
			break;
		}
		r = x - an[n] * y;
		x = y;
		y = r;
	}
	x = 0;
	y = 1;
	for (unsigned i = n; i > 0; --i)
	{
		r = y;
		y = an[i - 1] * y + x;
		x = r;
	}
	numerator = y;
	denominator = x;
}

std::uint32_t fractionToInterval(std::uint32_t numerator, std::uint32_t denominator)
	/// uvc_fraction_to_interval(): seconds per frame in 100 ns units, saturating.
{
	if (denominator == 0 || numerator / denominator >= UINT32_MAX / 10000000)
		return UINT32_MAX;
	std::uint32_t multiplier = 10000000;
	while (numerator > UINT32_MAX / multiplier)
	{
		multiplier /= 2;
		denominator /= 2;
	}
	return denominator ? numerator * multiplier / denominator : 0;
}

std::uint32_t tryFrameInterval(const std::vector<std::uint32_t>& intervals, std::uint32_t interval)
	/// uvc_try_frame_interval() for a discrete list, shortest first.
{
	std::uint32_t best = UINT32_MAX;
	std::size_t i;
	for (i = 0; i < intervals.size(); ++i)
	{
		std::uint32_t dist = interval > intervals[i] ? interval - intervals[i] : intervals[i] - interval;
		if (dist > best)
			break;
		best = dist;
	}
	return intervals[i - 1];
}

v4l2_fract timePerFrame(std::uint32_t interval)
{
	std::uint32_t n = interval, d = 10000000;
	simplifyFraction(n, d, 8, 333);
	return v4l2_fract{n, d};
}

std::string readFile(const std::string& path)
{
	std::string content;
	int fd = real::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return content;
	char chunk[4096];
	ssize_t n;
	while ((n = real::read(fd, chunk, sizeof chunk)) > 0 && content.size() < 65536)
		content.append(chunk, static_cast<std::size_t>(n));
	real::close(fd);
	return content;
}

} // namespace

std::shared_ptr<UvcHandle> UvcHandle::open(const std::string& path, int flags, int& error)
{
	struct stat st{};
	if (::stat(path.c_str(), &st) != 0)
		return error = ENOENT, nullptr;
	std::shared_ptr<UvcHandle> h(new UvcHandle);
	h->_path = path;
	h->_dev = st.st_dev;
	h->_ino = st.st_ino;
	std::string message;
	if (!parseDeviceSpec(readFile(path), h->_spec, message))
		return error = ENODEV, nullptr; // a node whose driver is not there
	h->_lockFd = real::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	h->_fd = ::eventfd(0, (flags & O_CLOEXEC) ? EFD_CLOEXEC : 0);
	if (h->_lockFd < 0 || h->_fd < 0)
		return error = EMFILE, nullptr;
	h->_nonblocking = (flags & O_NONBLOCK) != 0;
	h->_device = deviceState(st.st_dev, st.st_ino, h->_spec);
	return h;
}

UvcHandle::~UvcHandle()
{
	close();
}

bool UvcHandle::gone()
{
	if (_gone)
		return true;
	struct stat st{};
	if (::stat(_path.c_str(), &st) != 0 || st.st_ino != _ino || st.st_dev != _dev)
		_gone = true;
	return _gone;
}

std::uint32_t UvcHandle::sizeImage() const
{
	const auto& size = _spec.formats[_device->format].sizes[_device->frame];
	return size.first * size.second * 2;
}

int UvcHandle::acquire()
	/// uvc_acquire_privileges(): one privileged handle per device.
{
	if (_privileged)
		return 0;
	if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0)
		return -EBUSY;
	_privileged = true;
	return 0;
}

void UvcHandle::dismiss()
{
	if (_privileged)
		::flock(_lockFd, LOCK_UN);
	_privileged = false;
}

void UvcHandle::signalReadable(bool readable)
	/// Keeps the eventfd readable exactly while a buffer is done, so a poll()
	/// the wrapper forwards to the kernel wakes when ours would.
{
	if (readable == _readable)
		return;
	std::uint64_t value = 1;
	if (readable)
	{
		ssize_t n = ::write(_fd, &value, sizeof value);
		(void) n;
	}
	else
	{
		ssize_t n = real::read(_fd, &value, sizeof value);
		(void) n;
	}
	_readable = readable;
}

int UvcHandle::ioctl(unsigned long request, void* arg)
{
	request = static_cast<unsigned int>(request); // as the kernel does: the upper half is ignored
	if (gone())
		return -ENODEV; // v4l2_ioctl(): the video device is unregistered
	if (!arg && _IOC_SIZE(request))
		return -EFAULT;
	bool handled = false;
	int rc = common(request, arg, handled);
	if (handled)
		return rc;
	return _spec.metadata ? metadata(request, arg) : capture(request, arg);
}

int UvcHandle::common(unsigned long request, void* arg, bool& handled)
{
	handled = true;
	switch (request)
	{
	case VIDIOC_QUERYCAP:
	{
		auto* cap = static_cast<v4l2_capability*>(arg);
		std::memset(cap, 0, sizeof *cap);
		std::strncpy(reinterpret_cast<char*>(cap->driver), _spec.driver.c_str(), sizeof cap->driver - 1);
		std::strncpy(reinterpret_cast<char*>(cap->card), _spec.card.c_str(), sizeof cap->card - 1);
		std::strncpy(reinterpret_cast<char*>(cap->bus_info), _spec.busInfo.c_str(), sizeof cap->bus_info - 1);
		cap->version = KernelVersion;
		// chain->caps: the camera has both a video and a metadata node.
		cap->capabilities = V4L2_CAP_DEVICE_CAPS | V4L2_CAP_STREAMING | V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_META_CAPTURE;
		cap->device_caps = (_spec.metadata ? V4L2_CAP_META_CAPTURE : V4L2_CAP_VIDEO_CAPTURE) | V4L2_CAP_STREAMING;
		return 0;
	}
	case VIDIOC_G_PRIORITY:
		*static_cast<std::uint32_t*>(arg) = V4L2_PRIORITY_DEFAULT;
		return 0;
	case VIDIOC_S_PRIORITY:
		return *static_cast<std::uint32_t*>(arg) <= V4L2_PRIORITY_RECORD ? 0 : -EINVAL;
	default:
		handled = false;
		return 0;
	}
}

int UvcHandle::tryFormat(void* arg, std::size_t& formatIndex, std::size_t& frameIndex)
	/// uvc_v4l2_try_format(): the fourcc asked for or the default format,
	/// the size nearest by non-overlapping area.
{
	auto* fmt = static_cast<v4l2_format*>(arg);
	if (fmt->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	formatIndex = 0;
	for (std::size_t i = 0; i < _spec.formats.size(); ++i)
		if (_spec.formats[i].fourcc == fmt->fmt.pix.pixelformat)
			formatIndex = i;
	const FormatSpec& format = _spec.formats[formatIndex];
	if (format.fourcc != fmt->fmt.pix.pixelformat)
		formatIndex = 0; // not offered: uvcvideo falls back to the default format
	std::uint64_t rw = fmt->fmt.pix.width & 0xFFFF, rh = fmt->fmt.pix.height & 0xFFFF; // u16 in the driver
	std::uint64_t best = UINT64_MAX;
	frameIndex = 0;
	const FormatSpec& chosen = _spec.formats[formatIndex];
	for (std::size_t i = 0; i < chosen.sizes.size(); ++i)
	{
		std::uint64_t w = chosen.sizes[i].first, h = chosen.sizes[i].second;
		std::uint64_t d = std::min(w, rw) * std::min(h, rh);
		d = w * h + rw * rh - 2 * d;
		if (d < best)
		{
			best = d;
			frameIndex = i;
		}
		if (best == 0)
			break;
	}
	auto [w, h] = chosen.sizes[frameIndex];
	std::memset(&fmt->fmt.pix, 0, sizeof fmt->fmt.pix);
	fmt->fmt.pix.width = w;
	fmt->fmt.pix.height = h;
	fmt->fmt.pix.pixelformat = chosen.fourcc;
	fmt->fmt.pix.field = V4L2_FIELD_NONE;
	fmt->fmt.pix.bytesperline = chosen.compressed() ? 0 : w * 2;
	fmt->fmt.pix.sizeimage = w * h * 2;
	fmt->fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
	return 0;
}

int UvcHandle::enumFormat(void* arg)
	/// VIDIOC_ENUM_FMT: the formats of the spec, in order.
{
	auto* desc = static_cast<v4l2_fmtdesc*>(arg);
	if (desc->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || desc->index >= _spec.formats.size())
		return -EINVAL;
	const FormatSpec& f = _spec.formats[desc->index];
	std::uint32_t index = desc->index, type = desc->type;
	std::memset(desc, 0, sizeof *desc);
	desc->index = index;
	desc->type = type;
	desc->flags = f.compressed() ? V4L2_FMT_FLAG_COMPRESSED : 0;
	std::strncpy(reinterpret_cast<char*>(desc->description), f.description(), sizeof desc->description - 1);
	desc->pixelformat = f.fourcc;
	return 0;
}

int UvcHandle::enumFrameSizes(void* arg)
	/// VIDIOC_ENUM_FRAMESIZES: a format's discrete sizes.
{
	auto* size = static_cast<v4l2_frmsizeenum*>(arg);
	for (const auto& f: _spec.formats)
	{
		if (f.fourcc != size->pixel_format)
			continue;
		if (size->index >= f.sizes.size())
			return -EINVAL;
		size->type = V4L2_FRMSIZE_TYPE_DISCRETE;
		size->discrete.width = f.sizes[size->index].first;
		size->discrete.height = f.sizes[size->index].second;
		return 0;
	}
	return -EINVAL;
}

int UvcHandle::enumFrameIntervals(void* arg)
	/// VIDIOC_ENUM_FRAMEINTERVALS: a format and size's discrete intervals.
{
	auto* interval = static_cast<v4l2_frmivalenum*>(arg);
	for (const auto& f: _spec.formats)
	{
		if (f.fourcc != interval->pixel_format)
			continue;
		bool sized = std::find(f.sizes.begin(), f.sizes.end(), std::make_pair(interval->width, interval->height)) != f.sizes.end();
		if (!sized || interval->index >= f.intervals.size())
			return -EINVAL;
		interval->type = V4L2_FRMIVAL_TYPE_DISCRETE;
		interval->discrete = timePerFrame(f.intervals[interval->index]);
		return 0;
	}
	return -EINVAL;
}

int UvcHandle::getFormat(void* arg)
	/// VIDIOC_G_FMT: the current format and frame size.
{
	DeviceState& device = *_device;
	auto* fmt = static_cast<v4l2_format*>(arg);
	if (fmt->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	std::lock_guard lock(device.mutex);
	const FormatSpec& f = _spec.formats[device.format];
	fmt->fmt.pix.pixelformat = f.fourcc;
	std::size_t dummyFormat, dummyFrame;
	fmt->fmt.pix.width = f.sizes[device.frame].first;
	fmt->fmt.pix.height = f.sizes[device.frame].second;
	return tryFormat(arg, dummyFormat, dummyFrame);
}

int UvcHandle::setFormat(void* arg)
	/// VIDIOC_S_FMT: privileged; refused once buffers are allocated.
{
	DeviceState& device = *_device;
	if (int rc = acquire())
		return rc;
	std::size_t format, frame;
	if (int rc = tryFormat(arg, format, frame))
		return rc;
	std::lock_guard lock(_mutex);
	if (!_buffers.empty())
		return -EBUSY; // uvc_queue_allocated()
	std::lock_guard deviceLock(device.mutex);
	device.format = format;
	device.frame = frame;
	device.interval = _spec.formats[format].intervals[0]; // the frame's default interval
	return 0;
}

int UvcHandle::streamParameters(unsigned long request, void* arg)
	/// VIDIOC_G_PARM and VIDIOC_S_PARM: the frame interval (set: privileged, not while streaming).
{
	DeviceState& device = *_device;
	auto* parm = static_cast<v4l2_streamparm*>(arg);
	if (parm->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	std::uint32_t interval;
	if (request == VIDIOC_S_PARM)
	{
		if (int rc = acquire())
			return rc;
		std::uint32_t wanted = fractionToInterval(parm->parm.capture.timeperframe.numerator, parm->parm.capture.timeperframe.denominator);
		std::lock_guard lock(_mutex);
		if (_streaming)
			return -EBUSY;
		std::lock_guard deviceLock(device.mutex);
		device.interval = tryFrameInterval(_spec.formats[device.format].intervals, wanted);
		interval = device.interval;
	}
	else
	{
		std::lock_guard deviceLock(device.mutex);
		interval = device.interval;
	}
	std::memset(&parm->parm, 0, sizeof parm->parm);
	parm->parm.capture.capability = V4L2_CAP_TIMEPERFRAME;
	parm->parm.capture.timeperframe = timePerFrame(interval);
	return 0;
}

v4l2_rect UvcHandle::wholeFrame() const
	/// The current frame size as a rectangle at the origin.
{
	std::lock_guard deviceLock(_device->mutex);
	const auto& size = _spec.formats[_device->format].sizes[_device->frame];
	return v4l2_rect{0, 0, size.first, size.second};
}

int UvcHandle::getSelection(void* arg)
	/// VIDIOC_G_SELECTION: the crop default and bounds, the whole frame.
{
	auto* sel = static_cast<v4l2_selection*>(arg);
	if (sel->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || (sel->target != V4L2_SEL_TGT_CROP_DEFAULT && sel->target != V4L2_SEL_TGT_CROP_BOUNDS))
		return -EINVAL;
	sel->r = wholeFrame();
	return 0;
}

int UvcHandle::cropCapabilities(void* arg)
	/// VIDIOC_CROPCAP: the V4L2 core answers it from g_selection's bounds and default.
{
	auto* cap = static_cast<v4l2_cropcap*>(arg);
	if (cap->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	cap->bounds = cap->defrect = wholeFrame();
	cap->pixelaspect = v4l2_fract{1, 1};
	return 0;
}

int UvcHandle::queryBuffer(void* arg)
	/// VIDIOC_QUERYBUF: privileged; a requested buffer's offset and size.
{
	auto* buf = static_cast<v4l2_buffer*>(arg);
	if (!_privileged)
		return -EBUSY;
	if (buf->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	std::lock_guard lock(_mutex);
	if (buf->index >= _buffers.size())
		return -EINVAL;
	fillBuffer(buf->index, arg);
	return 0;
}

int UvcHandle::enumInput(void* arg)
	/// VIDIOC_ENUMINPUT: one camera input.
{
	auto* input = static_cast<v4l2_input*>(arg);
	if (input->index != 0)
		return -EINVAL;
	std::memset(input, 0, sizeof *input);
	std::strncpy(reinterpret_cast<char*>(input->name), "Camera 1", sizeof input->name - 1);
	input->type = V4L2_INPUT_TYPE_CAMERA;
	return 0;
}

int UvcHandle::capture(unsigned long request, void* arg)
{
	switch (request)
	{
	case VIDIOC_ENUM_FMT:
		return enumFormat(arg);
	case VIDIOC_ENUM_FRAMESIZES:
		return enumFrameSizes(arg);
	case VIDIOC_ENUM_FRAMEINTERVALS:
		return enumFrameIntervals(arg);
	case VIDIOC_G_FMT:
		return getFormat(arg);
	case VIDIOC_TRY_FMT:
	{
		std::size_t format, frame;
		return tryFormat(arg, format, frame);
	}
	case VIDIOC_S_FMT:
		return setFormat(arg);
	case VIDIOC_G_PARM:
	case VIDIOC_S_PARM:
		return streamParameters(request, arg);
	case VIDIOC_ENUMINPUT:
		return enumInput(arg);
	case VIDIOC_G_INPUT:
		*static_cast<int*>(arg) = 0;
		return 0;
	case VIDIOC_S_INPUT:
		if (int rc = acquire())
			return rc;
		return *static_cast<int*>(arg) == 0 ? 0 : -EINVAL;
	case VIDIOC_G_SELECTION:
		return getSelection(arg);
	case VIDIOC_CROPCAP:
		return cropCapabilities(arg);
	case VIDIOC_QUERYCTRL:
	case VIDIOC_QUERY_EXT_CTRL:
	case VIDIOC_QUERYMENU:
	case VIDIOC_G_CTRL:
	case VIDIOC_S_CTRL:
	case VIDIOC_G_EXT_CTRLS:
	case VIDIOC_S_EXT_CTRLS:
	case VIDIOC_TRY_EXT_CTRLS:
	case VIDIOC_G_CROP:
		return -EINVAL; // a camera without controls: every id is unknown
	case VIDIOC_SUBSCRIBE_EVENT:
		return static_cast<v4l2_event_subscription*>(arg)->type == V4L2_EVENT_CTRL ? 0 : -EINVAL;
	case VIDIOC_UNSUBSCRIBE_EVENT:
		return 0;
	case VIDIOC_DQEVENT:
		return -ENOENT;
	case VIDIOC_REQBUFS:
		return requestBuffers(arg);
	case VIDIOC_QUERYBUF:
		return queryBuffer(arg);
	case VIDIOC_QBUF:
		return queue(arg);
	case VIDIOC_DQBUF:
		return dequeue(arg);
	case VIDIOC_STREAMON:
		if (!_privileged)
			return -EBUSY;
		if (*static_cast<int*>(arg) != V4L2_BUF_TYPE_VIDEO_CAPTURE)
			return -EINVAL;
		return streamOn();
	case VIDIOC_STREAMOFF:
		if (!_privileged)
			return -EBUSY;
		if (*static_cast<int*>(arg) != V4L2_BUF_TYPE_VIDEO_CAPTURE)
			return -EINVAL;
		streamOff();
		return 0;
	default:
		return -ENOTTY; // G_STD, ENUMSTD, S_STD, DV timings, JPEGCOMP, ...: not a uvcvideo ioctl
	}
}

int UvcHandle::metadata(unsigned long request, void* arg)
	/// uvc_metadata.c: one format (UVCH), no frame sizes, no privileges.
{
	switch (request)
	{
	case VIDIOC_ENUM_FMT:
	{
		auto* desc = static_cast<v4l2_fmtdesc*>(arg);
		if (desc->type != V4L2_BUF_TYPE_META_CAPTURE || desc->index != 0)
			return -EINVAL;
		desc->pixelformat = V4L2_META_FMT_UVC;
		desc->flags = 0;
		std::strncpy(reinterpret_cast<char*>(desc->description), "UVC Payload Header Metadata", sizeof desc->description - 1);
		return 0;
	}
	case VIDIOC_G_FMT:
	case VIDIOC_TRY_FMT:
	case VIDIOC_S_FMT:
	{
		auto* fmt = static_cast<v4l2_format*>(arg);
		if (fmt->type != V4L2_BUF_TYPE_META_CAPTURE)
			return -EINVAL;
		std::lock_guard lock(_device->mutex);
		if (request == VIDIOC_G_FMT)
		{
			fmt->fmt.meta.dataformat = V4L2_META_FMT_UVC;
			fmt->fmt.meta.buffersize = _device->metaBufferSize;
			return 0;
		}
		std::uint32_t size = std::max<std::uint32_t>(10240, fmt->fmt.meta.buffersize);
		std::memset(&fmt->fmt.meta, 0, sizeof fmt->fmt.meta);
		fmt->fmt.meta.dataformat = V4L2_META_FMT_UVC;
		fmt->fmt.meta.buffersize = size;
		if (request == VIDIOC_S_FMT)
			_device->metaBufferSize = size;
		return 0;
	}
	case VIDIOC_REQBUFS:
	case VIDIOC_QUERYBUF:
	case VIDIOC_QBUF:
	case VIDIOC_DQBUF:
	case VIDIOC_STREAMON:
	case VIDIOC_STREAMOFF:
	{
		std::uint32_t type = request == VIDIOC_REQBUFS ? static_cast<v4l2_requestbuffers*>(arg)->type
			: (request == VIDIOC_STREAMON || request == VIDIOC_STREAMOFF) ? *static_cast<std::uint32_t*>(arg)
			: static_cast<v4l2_buffer*>(arg)->type;
		return type != V4L2_BUF_TYPE_META_CAPTURE ? -EINVAL : -ENOTTY; // metadata streaming is not modelled
	}
	default:
		return -ENOTTY;
	}
}

int UvcHandle::requestBuffers(void* arg)
{
	auto* req = static_cast<v4l2_requestbuffers*>(arg);
	if (int rc = acquire())
		return rc;
	if (req->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || req->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	std::unique_lock lock(_mutex);
	if (_streaming)
		return -EBUSY;
	freeBuffers();
	std::memset(req->reserved, 0, sizeof req->reserved);
	req->capabilities = V4L2_BUF_CAP_SUPPORTS_MMAP;
	if (req->count == 0)
	{
		lock.unlock();
		dismiss(); // uvc_ioctl_reqbufs(): freeing the buffers gives the device up
		return 0;
	}
	unsigned count = std::min(req->count, MaxBuffers);
	std::uint32_t page = static_cast<std::uint32_t>(::sysconf(_SC_PAGESIZE));
	std::size_t size = (sizeImage() + page - 1) / page * page;
	_memory = ::memfd_create("fake-v4l2-buffers", MFD_CLOEXEC);
	if (_memory < 0 || ::ftruncate(_memory, static_cast<off_t>(size * count)) != 0)
		return -ENOMEM;
	void* map = real::mmap(nullptr, size * count, PROT_READ | PROT_WRITE, MAP_SHARED, _memory, 0);
	if (map == MAP_FAILED)
		return -ENOMEM;
	_map = static_cast<std::uint8_t*>(map);
	_bufferSize = size;
	_buffers.assign(count, Buffer());
	req->count = count;
	return 0;
}

void UvcHandle::freeBuffers()
{
	if (_map)
		::munmap(_map, _bufferSize * _buffers.size());
	if (_memory >= 0)
		real::close(_memory); // the caller's mappings keep the memory until unmapped, as vb2's do
	_map = nullptr;
	_memory = -1;
	_buffers.clear();
	_queued.clear();
	_done.clear();
	signalReadable(false);
}

void UvcHandle::fillBuffer(std::size_t index, void* arg) const
{
	auto* buf = static_cast<v4l2_buffer*>(arg);
	const Buffer& b = _buffers[index];
	std::memset(buf, 0, sizeof *buf);
	buf->index = static_cast<std::uint32_t>(index);
	buf->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	buf->memory = V4L2_MEMORY_MMAP;
	buf->bytesused = b.bytesused;
	buf->flags = b.flags | V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC | V4L2_BUF_FLAG_TSTAMP_SRC_SOE
		| (b.state == BufferState::Queued ? V4L2_BUF_FLAG_QUEUED : 0) | (b.state == BufferState::Done ? V4L2_BUF_FLAG_DONE : 0);
	buf->field = V4L2_FIELD_NONE;
	buf->timestamp = b.timestamp;
	buf->sequence = b.sequence;
	buf->m.offset = static_cast<std::uint32_t>(index * _bufferSize);
	buf->length = sizeImage();
}

int UvcHandle::checkBufferCall(const void* arg) const
	/// QBUF/DQBUF: uvc_ioctl_qbuf()/dqbuf() need the privilege, vb2 the right type and memory.
{
	const auto* buf = static_cast<const v4l2_buffer*>(arg);
	if (!_privileged)
		return -EBUSY;
	if (buf->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || buf->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	return 0;
}

int UvcHandle::queue(void* arg)
{
	auto* buf = static_cast<v4l2_buffer*>(arg);
	if (int rc = checkBufferCall(arg))
		return rc;
	std::lock_guard lock(_mutex);
	if (buf->index >= _buffers.size() || _buffers[buf->index].state != BufferState::Dequeued)
		return -EINVAL;
	Buffer& b = _buffers[buf->index];
	b.state = BufferState::Queued;
	b.bytesused = 0;
	b.flags = 0;
	_queued.push_back(buf->index);
	fillBuffer(buf->index, arg);
	return 0;
}

int UvcHandle::dequeue(void* arg)
{
	if (int rc = checkBufferCall(arg))
		return rc;
	std::unique_lock lock(_mutex);
	for (;;)
	{
		if (!_streaming)
			return -EINVAL; // vb2: streaming off, will not wait for buffers
		if (!_done.empty())
			break;
		if (_nonblocking)
			return -EAGAIN;
		if (gone())
		{
			// uvc_queue_cancel(queue, 1): what is queued comes back in error.
			while (!_queued.empty())
			{
				Buffer& b = _buffers[_queued.front()];
				b.state = BufferState::Done;
				b.flags = V4L2_BUF_FLAG_ERROR;
				b.bytesused = 0;
				_done.push_back(_queued.front());
				_queued.pop_front();
			}
			if (_done.empty())
				return -ENODEV;
			break;
		}
		_changed.wait_for(lock, std::chrono::milliseconds(10)); // and look at the node again
	}
	std::size_t index = _done.front();
	_done.pop_front();
	_buffers[index].state = BufferState::Dequeued;
	fillBuffer(index, arg);
	if (_done.empty())
		signalReadable(false);
	return 0;
}

int UvcHandle::streamOn()
{
	std::lock_guard lock(_mutex);
	if (_buffers.empty())
		return -EINVAL;
	if (_streaming)
		return 0;
	_streaming = true;
	_stop = false;
	_producer = std::thread([this] { produce(); });
	return 0;
}

void UvcHandle::streamOff()
	/// vb2_streamoff(): the producer stops and every buffer is the caller's again.
{
	std::unique_lock lock(_mutex);
	if (!_streaming)
		return;
	_stop = true;
	_changed.notify_all();
	lock.unlock();
	if (_producer.joinable())
		_producer.join();
	lock.lock();
	_streaming = false;
	for (auto& b: _buffers)
		b.state = BufferState::Dequeued;
	_queued.clear();
	_done.clear();
	signalReadable(false);
	_changed.notify_all();
}

void UvcHandle::produce()
	/// The camera: a frame per interval into the oldest queued buffer.
{
	std::size_t format, frame;
	std::uint32_t interval;
	{
		std::lock_guard deviceLock(_device->mutex);
		format = _device->format;
		frame = _device->frame;
		interval = _device->interval;
	}
	const FormatSpec& f = _spec.formats[format];
	unsigned fps = std::max(1u, static_cast<unsigned>(10000000.0 / interval + 0.5));
	FrameSource source(f.fourcc, f.sizes[frame].first, f.sizes[frame].second, std::min(fps, 60u));
	auto period = std::chrono::microseconds(interval / 10);
	auto next = std::chrono::steady_clock::now() + period;
	std::uint32_t sequence = 0;
	std::unique_lock lock(_mutex);
	for (;;)
	{
		if (_changed.wait_until(lock, next, [this] { return _stop; }))
			return;
		lock.unlock();
		bool unplugged = gone();
		timespec now{};
		::clock_gettime(CLOCK_MONOTONIC, &now);
		const std::vector<std::uint8_t>* data = unplugged ? nullptr : &source.frame(sequence);
		lock.lock();
		if (_stop)
			return;
		if (unplugged)
		{
			_changed.notify_all(); // a waiting DQBUF finds the node gone
			return;
		}
		if (!_queued.empty() && !data->empty())
		{
			std::size_t index = _queued.front();
			_queued.pop_front();
			Buffer& b = _buffers[index];
			std::size_t n = std::min<std::size_t>(data->size(), sizeImage());
			std::memcpy(_map + index * _bufferSize, data->data(), n);
			b.bytesused = static_cast<std::uint32_t>(n);
			b.sequence = sequence;
			b.timestamp = timeval{now.tv_sec, now.tv_nsec / 1000};
			b.state = BufferState::Done;
			_done.push_back(index);
			signalReadable(true);
			_changed.notify_all();
		}
		++sequence; // a frame with no buffer to take it is dropped
		next += period;
		auto late = std::chrono::steady_clock::now() - next;
		if (late > period * 4)
			next = std::chrono::steady_clock::now(); // a stalled process does not get a burst
	}
}

short UvcHandle::poll(short events)
{
	short revents;
	if (gone())
		revents = POLLERR | POLLHUP; // v4l2_poll() on an unregistered device
	else
	{
		std::lock_guard lock(_mutex);
		if (_spec.metadata || !_streaming)
			revents = POLLERR; // vb2_poll(): nothing streaming
		else
			revents = _done.empty() ? 0 : (POLLIN | POLLRDNORM);
	}
	return static_cast<short>(revents & (events | POLLERR | POLLHUP));
}

void* UvcHandle::mmap(void* address, std::size_t length, int prot, int flags, off_t offset, int& error)
{
	if (gone())
		return error = ENODEV, MAP_FAILED;
	if (!(flags & MAP_SHARED))
		return error = EINVAL, MAP_FAILED; // vb2_mmap(): VM_SHARED needed
	std::lock_guard lock(_mutex);
	if (_memory < 0 || offset < 0 || static_cast<std::size_t>(offset) % _bufferSize
		|| static_cast<std::size_t>(offset) / _bufferSize >= _buffers.size() || length > _bufferSize)
		return error = EINVAL, MAP_FAILED;
	void* p = real::mmap(address, length, prot, flags, _memory, offset);
	if (p == MAP_FAILED)
		error = errno;
	return p;
}

int UvcHandle::read()
{
	return gone() ? -ENODEV : -EINVAL;
}

void UvcHandle::close()
{
	streamOff();
	{
		std::lock_guard lock(_mutex);
		freeBuffers();
	}
	dismiss();
	if (_lockFd >= 0)
		real::close(_lockFd);
	_lockFd = -1;
}

} // namespace camsvc::fakev4l2
