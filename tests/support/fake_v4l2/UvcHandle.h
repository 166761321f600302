//
// UvcHandle.h
//
// One open file of a fake node, behaving as uvcvideo's file handle does
// (drivers/media/usb/uvc/uvc_v4l2.c, uvc_queue.c, uvc_metadata.c and the
// V4L2 core's v4l2-dev.c / videobuf2 rules they rely on):
//
// - QUERYCAP: "capabilities" is the whole chain's (VIDEO_CAPTURE and
//   META_CAPTURE on both nodes), "device_caps" the node's own.
// - Formats: ENUM_FMT/ENUM_FRAMESIZES/ENUM_FRAMEINTERVALS from the spec;
//   TRY_FMT/S_FMT pick the fourcc asked for or the default format, and the
//   size nearest by uvc_v4l2_try_format()'s distance; S_PARM the nearest
//   interval (uvc_try_frame_interval), reported as uvc_simplify_fraction()
//   does (333333 -> 1/30).
// - Privileges (uvc_acquire_privileges): S_FMT, S_PARM, S_INPUT and
//   REQBUFS take the device; QUERYBUF/QBUF/DQBUF/STREAMON/STREAMOFF need
//   it; another handle gets EBUSY. The privilege is an flock() on the node
//   file, so it holds across processes; REQBUFS(0) and close release it.
// - Buffers: MMAP only, at most 32, sizeimage = dwMaxVideoFrameSize
//   (width*height*2), timestamps CLOCK_MONOTONIC taken at start of frame.
//   Frames come at the negotiated interval; with no buffer queued a frame
//   is dropped (the sequence number still advances).
// - Unplug (the file removed or replaced): every later call fails with
//   ENODEV, poll() gives POLLERR|POLLHUP (v4l2-dev.c); a DQBUF already
//   waiting gets the queued buffers back flagged V4L2_BUF_FLAG_ERROR
//   (uvc_queue_cancel(queue, 1)).
// - read() is EINVAL (uvc_v4l2_read), ioctls uvcvideo lacks are ENOTTY.
//
// Not modelled: USB itself (bandwidth, URBs, payload headers, dropped or
// corrupt transfers other than at unplug); controls (every control id is
// EINVAL: a camera without controls) and control events; USERPTR/DMABUF
// buffers, EXPBUF, CREATE_BUFS, PREPARE_BUF; stepwise/continuous frame
// sizes and intervals; per-size rates (a format's rates apply to all its
// sizes); streaming on the metadata node; the device's current format is
// shared by the handles of one process only (the privilege is shared by
// all); selector units (one input); dup() of a node's fd.
//

#ifndef CAMSVC_FAKEV4L2_UVCHANDLE_H
#define CAMSVC_FAKEV4L2_UVCHANDLE_H

#include "DeviceSpec.h"
#include "FrameSource.h"
#include <atomic>
#include <linux/videodev2.h>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace camsvc::fakev4l2 {

struct DeviceState;

class UvcHandle
{
public:
	static std::shared_ptr<UvcHandle> open(const std::string& path, int flags, int& error);
		/// Opens the node: its file must exist and hold a valid spec
		/// (ENOENT / ENODEV otherwise). The handle's fd is an eventfd.
	~UvcHandle();

	int fd() const { return _fd; }
	int ioctl(unsigned long request, void* arg);
		/// 0 or -errno.
	short poll(short events);
		/// The revents the driver's poll would give.
	void* mmap(void* address, std::size_t length, int prot, int flags, off_t offset, int& error);
	int read();
		/// -errno: uvcvideo has no read().
	void close();

	bool gone();
		/// The node was removed (or replaced) since open: sticky.

private:
	enum class BufferState { Dequeued, Queued, Done };
	struct Buffer
	{
		BufferState state = BufferState::Dequeued;
		std::uint32_t bytesused = 0;
		std::uint32_t sequence = 0;
		std::uint32_t flags = 0;
		timeval timestamp{};
	};

	UvcHandle() = default;
	int capture(unsigned long request, void* arg);
		/// uvc_v4l2.c's ioctls on a capture node, one helper per request:
	int enumFormat(void* arg);
	int enumFrameSizes(void* arg);
	int enumFrameIntervals(void* arg);
	int getFormat(void* arg);
	int setFormat(void* arg);
	int streamParameters(unsigned long request, void* arg);
	int enumInput(void* arg);
	int getSelection(void* arg);
	v4l2_rect wholeFrame() const;
	int cropCapabilities(void* arg);
	int queryBuffer(void* arg);
	int metadata(unsigned long request, void* arg);
	int common(unsigned long request, void* arg, bool& handled);
	int acquire();
	void dismiss();
	int tryFormat(void* fmt, std::size_t& format, std::size_t& frame);
	int requestBuffers(void* arg);
	void fillBuffer(std::size_t index, void* arg) const;
	int checkBufferCall(const void* arg) const;
	int queue(void* arg);
	int dequeue(void* arg);
	int streamOn();
	void streamOff();
	void freeBuffers();
	void produce();
	void signalReadable(bool readable);
	std::uint32_t sizeImage() const;

	std::string _path;
	dev_t _dev = 0;
	ino_t _ino = 0;
	int _fd = -1;     // what the caller holds: an eventfd, readable while a buffer is done
	int _lockFd = -1; // the node file, flock()ed while privileged
	bool _nonblocking = false;
	std::atomic<bool> _privileged{false}; // read by calls on other threads (FFmpeg requeues from where packets are freed)
	std::atomic<bool> _gone{false};       // set by whichever thread sees the node gone first
	DeviceSpec _spec;
	std::shared_ptr<DeviceState> _device;

	std::mutex _mutex;
	std::condition_variable _changed;
	std::vector<Buffer> _buffers;
	std::deque<std::size_t> _queued;
	std::deque<std::size_t> _done;
	std::size_t _bufferSize = 0;  // page-aligned length of one buffer
	int _memory = -1;             // memfd holding every buffer
	std::uint8_t* _map = nullptr; // the rig's own mapping of it
	bool _streaming = false;
	bool _stop = false;
	bool _readable = false;
	std::thread _producer;
};

} // namespace camsvc::fakev4l2

#endif // CAMSVC_FAKEV4L2_UVCHANDLE_H
