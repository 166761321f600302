//
// LiveStreams.h
//
// The live-stream service (provided by the mediamtx plugin): a camera's
// stream URLs and MediaMTX's runtime view of the stream (online, readers,
// bytes sent). The cameras plugin shows it in get_camera_list,
// get_camera_status and camera_status_update.
//
//     auto streams = host.find<camsvc::sdk::LiveStreams>();   // null: no live streaming
//     LiveStreamState s = streams->streamState("camera0");
//
// Threading: thread-safe and never blocks on the network: the answer is what
// the provider last read from MediaMTX (at most one reconcile interval old).
// Ownership: results are values.
//

#ifndef CAMSVC_SDK_LIVESTREAMS_H
#define CAMSVC_SDK_LIVESTREAMS_H

#include "camsvc/sdk/Records.h"
#include <Poco/JSON/Object.h>
#include <cstdint>
#include <string>

namespace camsvc {
namespace sdk {

struct StreamUrls
	/// Where viewers find a stream; empty strings when streaming is disabled.
{
	std::string rtsp;   // rtsp://HOST:8554/camera0
	std::string webrtc; // http://HOST:8889/camera0/webrtc (page)
	std::string whep;   // http://HOST:8889/camera0/whep (WHEP endpoint)
	std::string hls;    // http://HOST:8888/camera0
};

struct LiveStreamState
{
	bool enabled = false;        // live streaming is configured (mediamtx.enabled)
	bool reachable = false;      // MediaMTX answered when last asked
	bool available = false;      // MediaMTX serves the stream now (its publisher is online)
	bool publishing = false;     // this service publishes the camera
	int readers = 0;             // viewers reading the stream from MediaMTX
	std::uint64_t bytesSent = 0; // MediaMTX's outbound bytes for the stream
	std::uint64_t bytesReceived = 0; // MediaMTX's inbound bytes (what was published)
	StreamUrls urls;
};

inline const char* streamUnavailableReason(const LiveStreamState& s)
	/// Why no stream URL can be given: "streaming_disabled" (no mediamtx
	/// plugin, or mediamtx.enabled = false), "mediamtx_unreachable"; null
	/// when MediaMTX can serve the stream.
{
	return !s.enabled ? "streaming_disabled" : !s.reachable ? "mediamtx_unreachable" : nullptr;
}

inline void describeStreams(const LiveStreamState& s, Poco::JSON::Object& target)
	/// The one rule for stream URLs in every result and notification
	/// (get_camera_list, get_camera_status, camera_status_update,
	/// get_stream_url): "streams" holds URL strings only (the seed's
	/// map[string]string), and only while MediaMTX can serve them (an empty
	/// object otherwise: no URL that points at nothing); "stream_status" is
	/// "ready" (MediaMTX serves it now), "idle" (it could, nothing is
	/// published) or "unavailable", with "stream_reason" beside it then;
	/// "stream_publishing": this service publishes the camera into MediaMTX.
{
	const char* unavailable = streamUnavailableReason(s);
	Poco::JSON::Object::Ptr urls = new Poco::JSON::Object;
	if (!unavailable)
	{
		urls->set("rtsp", s.urls.rtsp);
		urls->set("webrtc", s.urls.webrtc);
		urls->set("whep", s.urls.whep);
		urls->set("hls", s.urls.hls);
	}
	target.set("streams", urls);
	target.set("stream_status", unavailable ? "unavailable" : s.available ? "ready" : "idle");
	if (unavailable)
		target.set("stream_reason", unavailable);
	target.set("stream_publishing", s.publishing);
}

class LiveStreams
{
public:
	static constexpr const char* ServiceName = "camsvc.LiveStreams/2";

	virtual ~LiveStreams() = default;

	virtual Record<LiveStreamState> streamState(const std::string& camera) const = 0;
		/// camera: the stream name ("camera0"). Any thread; non-blocking.
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_LIVESTREAMS_H
