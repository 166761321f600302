//
// CameraService.h
//
// The cameras plugin's service: the cameras it knows, and their capture
// pipelines. A pipeline opens its source once and fans out to sinks, so a
// device is never opened twice (snapshots, recordings and the MediaMTX
// publisher all share it). Uses FFmpeg types: sinks get the encoded H.264
// packets and decoded frames as FFmpeg produces them.
//
//     auto cameras = host.find<camsvc::sdk::CameraService>();      // in start()
//     auto sub = cameras->subscribePackets("camera0", mySink);      // starts the pipeline
//     ...                                                           // mySink->onPacket(...)
//     sub.reset();                                                  // stops it if nobody else needs it
//
// Threading: every CameraService function is thread-safe. Sink and listener
// callbacks run on the camera's pipeline thread: they must return quickly
// (copy or reference the data and queue it), must not block, and must not
// call back into subscribe/unsubscribe of the same camera.
// Ownership: the service owns pipelines and the CameraInfo records it hands
// out (Records.h); callers own Subscription objects.
//

#ifndef CAMSVC_SDK_CAMERASERVICE_H
#define CAMSVC_SDK_CAMERASERVICE_H

#include "camsvc/sdk/Errors.h"
#include "camsvc/sdk/Method.h"
#include "camsvc/sdk/Records.h"
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

namespace camsvc {
namespace sdk {

enum class CameraState { Connected, Disconnected, Error };

constexpr int DefaultMaxCameras = 64;
	/// cameras.max_cameras: the most cameras the cameras plugin keeps (declared
	/// and V4L2 together); more are refused with an error in the log.

inline const char* cameraStateName(CameraState s)
	/// The seed's status words.
{
	switch (s)
	{
	case CameraState::Connected:    return "CONNECTED";
	case CameraState::Disconnected: return "DISCONNECTED";
	default:                        return "ERROR";
	}
}

struct CameraInfo
{
	std::string name;         // stable stream/path name: "camera0"
	std::string device;       // "/dev/video0" for V4L2; the camera name ("camera100") for declared sources
	std::string sourceUrl;    // declared sources: the URL, redacted (sdk::redactUrl); V4L2: the device path
	std::string label;        // human name: the V4L2 card name or "Camera 0"
	std::string source;       // "v4l2", "testsrc", "rtsp", "network", "file"
	CameraState state = CameraState::Disconnected;
	int width = 0;            // what the pipeline delivers (or will)
	int height = 0;
	double fps = 0;
	std::vector<std::string> formats;     // source pixel formats: "YUYV", "MJPEG", "H264", ...
	std::vector<std::string> resolutions; // "1920x1080", ...
	std::vector<double> fpsOptions;
	bool running = false;     // the capture pipeline is open
	int sinks = 0;            // packet subscribers + frame leases
	std::uint64_t bytes = 0;  // encoded bytes produced since the pipeline started
	double uptimeSeconds = 0; // of the running pipeline
	std::string error;        // last error, when state is Error
	std::string reason;       // and why, machine-readable: "device_busy", "source_failed"
};

struct StreamInfo
	/// The encoded stream a pipeline produces (always H.264).
{
	int width = 0;
	int height = 0;
	AVRational frameRate{0, 1};
	AVRational timeBase{1, 1000000};   // of packet pts/dts
	std::shared_ptr<const AVCodecParameters> codecParameters; // extradata = SPS/PPS (avcC)
};

enum class StreamEnd
{
	Stopped,     // the pipeline stopped (shutdown, or the subscription is the last and went away)
	SourceLost,  // the device vanished or the network source went away
	Error        // the source failed; the pipeline retries with backoff
};

inline const char* streamEndName(StreamEnd e)
{
	switch (e)
	{
	case StreamEnd::Stopped:    return "stopped";
	case StreamEnd::SourceLost: return "source_lost";
	default:                    return "error";
	}
}

class PacketSink
	/// Receives a camera's encoded packets. Callbacks on the pipeline thread.
{
public:
	virtual ~PacketSink() = default;

	virtual void onStreamStart(const StreamInfo& info) = 0;
		/// Before the first packet, and again after the pipeline restarted
		/// (parameters may differ). The next packet is a keyframe.
	virtual void onPacket(const AVPacket& packet) = 0;
		/// One H.264 packet (pts/dts in StreamInfo::timeBase, stream_index 0).
		/// Valid during the call only: av_packet_ref() it to keep it.
	virtual void onStreamEnd(StreamEnd reason, const std::string& detail) = 0;
		/// The stream stopped. After SourceLost or Error, onStreamStart follows
		/// if the source comes back while the subscription lives.
};

class Subscription
	/// Destroying it unsubscribes: after the destructor returns, no callback
	/// of this subscription runs any more. Do not destroy it inside a callback.
{
public:
	virtual ~Subscription() = default;
};

using Frame = std::shared_ptr<const AVFrame>;
	/// A decoded frame (pixel format as decoded, e.g. yuv420p); shared, read-only.

inline ParamSpec deviceParam()
	/// The "device" param of every camera method: a device path or a camera name.
{
	return ParamSpec("device", ParamType::String, true, "Device path (/dev/video0) or camera name (camera0)").maxLen(1024);
}

inline RpcError cameraUnavailable(const std::string& device, const std::string& reason = "camera_not_found")
	/// The -32004 every camera method answers, data {reason, device}: reason
	/// "camera_not_found" (unknown), "camera_disconnected" (known, unplugged)
	/// or "device_busy" (another program holds the V4L2 device).
{
	Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
	data->set("reason", reason);
	data->set("device", device);
	const char* message = reason == "camera_not_found" ? "Camera not found"
		: reason == "device_busy" ? "Camera is in use by another program" : "Camera is disconnected";
	return RpcError(ErrorCode::CameraNotFound, message, data);
}

class CameraService
{
public:
	static constexpr const char* ServiceName = "camsvc.CameraService/2";

	virtual ~CameraService() = default;

	virtual Records<CameraInfo> cameras() const = 0;
		/// Every known camera (connected or not), sorted by name.

	virtual Record<CameraInfo> find(const std::string& deviceOrName) const = 0;
		/// Null if unknown. By name ("camera0"), device ("/dev/video0") or, for declared
		/// sources, the redacted source URL (what earlier versions called device).

	Record<CameraInfo> require(const std::string& deviceOrName, bool connected = false) const
		/// find(), or throws cameraUnavailable(): camera_not_found, or with
		/// connected camera_disconnected for a camera that is unplugged (a
		/// camera in Error is returned: its pipeline retries). Any thread.
	{
		auto c = find(deviceOrName);
		if (!c)
			throw cameraUnavailable(deviceOrName);
		if (connected && c->state == CameraState::Disconnected)
			throw cameraUnavailable(deviceOrName, "camera_disconnected");
		return c;
	}

	virtual std::unique_ptr<Subscription> subscribePackets(const std::string& deviceOrName, std::shared_ptr<PacketSink> sink) = 0;
		/// Adds a sink, starting the pipeline if needed. Throws RpcError -32004
		/// (reason camera_not_found / camera_disconnected).

	virtual Frame latestFrame(const std::string& deviceOrName, std::chrono::milliseconds timeout) = 0;
		/// The newest decoded frame. An idle pipeline is started (and kept
		/// running for cameras.frame_lease_seconds) and the call waits up to
		/// timeout for its first frame. Throws RpcError -32004 for an unknown
		/// or disconnected camera, and -32004 reason "no_frame" when no frame
		/// came within timeout (at once while the camera's last wait timed out
		/// less than timeout ago and no frame came since).
		/// May block up to timeout: call it from a worker, not an I/O thread.

	virtual std::unique_ptr<Subscription> watchCameras(std::function<void(const CameraInfo&)> listener) = 0;
		/// Called whenever a camera appears, disappears or changes state.
		/// Callbacks on the plugin's threads; must not block.
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_CAMERASERVICE_H
