//
// SourceSpec.h
//
// What a camera's capture opens: an FFmpeg input (format, URL, options),
// built from a declared source URL (testsrc://, rtsp://, file:) or a V4L2
// device path.
//

#ifndef CAMSVC_CAMERAS_SOURCESPEC_H
#define CAMSVC_CAMERAS_SOURCESPEC_H

#include <map>
#include <string>

namespace camsvc::cameras {

struct SourceSpec
{
	std::string kind;        // "testsrc", "rtsp", "network", "file", "v4l2"
	std::string inputFormat; // FFmpeg demuxer/device: "lavfi", "video4linux2", "" (probe)
	std::string url;         // what avformat_open_input gets
	std::map<std::string, std::string> options; // demuxer options
	bool paced = false;      // read at the stream's own rate (lavfi and files produce as fast as asked)
	bool loop = false;       // start over at the end (files)
	int width = 0;           // expected size and rate where known up front
	int height = 0;
	double fps = 0;
	std::string publicId;    // the URL as admins see it: sdk::redactUrl() of it (the device path for V4L2)
};

SourceSpec parseSourceUrl(const std::string& url);
	/// testsrc://?size=WxH&rate=N[&pattern=testsrc2], rtsp://..., file:/path,
	/// or a network stream: tcp://, udp://, http(s)://, srt://, rtmp://.
	/// Throws std::invalid_argument for anything else, for a network URL
	/// without a host and for a URL with a raw control character.

SourceSpec v4l2Source(const std::string& devicePath, const std::string& size, const std::string& rate,
	const std::string& inputFormat);
	/// A V4L2 device; empty strings leave the driver's defaults.

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_SOURCESPEC_H
