#include "StreamDirectory.h"
#include <Poco/URI.h>

namespace camsvc::mediamtx {

StreamDirectory::StreamDirectory(const Poco::Util::AbstractConfiguration& config, PublishingQuery publishing):
	_enabled(config.getBool("mediamtx.enabled", true)),
	_rtspBase(config.getString("mediamtx.rtsp.url", "rtsp://127.0.0.1:8554")),
	_publishing(std::move(publishing))
{
	while (!_rtspBase.empty() && _rtspBase.back() == '/')
		_rtspBase.pop_back();
	Poco::URI rtsp(_rtspBase);
	_publicHost = config.getString("mediamtx.public_host", rtsp.getHost());
	_rtspPort = config.getInt("mediamtx.rtsp_port", rtsp.getPort() ? rtsp.getPort() : 8554);
	_hlsPort = config.getInt("mediamtx.hls_port", 8888);
	_webrtcPort = config.getInt("mediamtx.webrtc_port", 8889);
}

sdk::StreamUrls StreamDirectory::urls(const std::string& camera) const
{
	sdk::StreamUrls u;
	if (!_enabled)
		return u;
	std::string host = "://" + _publicHost + ":";
	u.rtsp = "rtsp" + host + std::to_string(_rtspPort) + "/" + camera;
	u.webrtc = "http" + host + std::to_string(_webrtcPort) + "/" + camera + "/webrtc";
	u.whep = "http" + host + std::to_string(_webrtcPort) + "/" + camera + "/whep";
	u.hls = "http" + host + std::to_string(_hlsPort) + "/" + camera;
	return u;
}

void StreamDirectory::update(const std::optional<std::vector<PathState>>& paths)
{
	std::lock_guard lock(_mutex);
	_reachable = paths.has_value();
	if (!paths)
		return; // keep the last figures; they are reported as unavailable meanwhile
	_paths.clear();
	for (const auto& p: *paths)
		_paths[p.name] = p;
}

sdk::Record<sdk::LiveStreamState> StreamDirectory::streamState(const std::string& camera) const
{
	sdk::LiveStreamState s;
	s.enabled = _enabled;
	if (!_enabled)
		return std::make_shared<const sdk::LiveStreamState>(s);
	s.urls = urls(camera);
	s.publishing = _publishing && _publishing(camera);
	std::lock_guard lock(_mutex);
	s.reachable = _reachable;
	auto it = _paths.find(camera);
	if (_reachable && it != _paths.end())
	{
		s.available = it->second.available;
		s.readers = it->second.readers;
		s.bytesSent = it->second.outboundBytes;
		s.bytesReceived = it->second.inboundBytes;
	}
	return std::make_shared<const sdk::LiveStreamState>(s);
}

} // namespace camsvc::mediamtx
