//
// StreamDirectory.h
//
// The LiveStreams service: a camera's stream URLs (from configuration: the
// host and ports clients should use, which may differ from where the API
// is) and MediaMTX's runtime view of its path, as the path manager's last
// reconcile pass read it. Answers never touch the network.
//

#ifndef CAMSVC_MEDIAMTX_STREAMDIRECTORY_H
#define CAMSVC_MEDIAMTX_STREAMDIRECTORY_H

#include "MediaMtxClient.h"
#include "camsvc/sdk/LiveStreams.h"
#include <Poco/Util/AbstractConfiguration.h>
#include <functional>
#include <map>
#include <mutex>

namespace camsvc::mediamtx {

class StreamDirectory: public sdk::LiveStreams
{
public:
	using PublishingQuery = std::function<bool(const std::string& camera)>;

	StreamDirectory(const Poco::Util::AbstractConfiguration& config, PublishingQuery publishing);
		/// Reads mediamtx.enabled, mediamtx.rtsp.url, mediamtx.public_host,
		/// mediamtx.rtsp_port, mediamtx.hls_port, mediamtx.webrtc_port.

	bool enabled() const { return _enabled; }
	const std::string& rtspBase() const { return _rtspBase; }
		/// Where the service publishes: rtsp://host:port (no trailing slash).
	sdk::StreamUrls urls(const std::string& camera) const;

	void update(const std::optional<std::vector<PathState>>& paths);
		/// A reconcile pass's result; nothing means MediaMTX could not be read.

	sdk::Record<sdk::LiveStreamState> streamState(const std::string& camera) const override;

private:
	bool _enabled;
	std::string _rtspBase;
	std::string _publicHost;
	int _rtspPort, _hlsPort, _webrtcPort;
	PublishingQuery _publishing;
	mutable std::mutex _mutex;
	bool _reachable = true; // until a pass says otherwise: URLs are not withheld at start-up
	std::map<std::string, PathState> _paths;
};

} // namespace camsvc::mediamtx

#endif // CAMSVC_MEDIAMTX_STREAMDIRECTORY_H
