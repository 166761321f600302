//
// V4l2Mode.h
//
// Which format, size and rate to ask a V4L2 camera for. Unless configured
// (cameras.v4l2.size / rate / input_format), the largest size the camera
// offers, at the highest rate offered for it, in the format a user of a UVC
// camera wants there: H.264 when offered (passed through, never re-encoded),
// else above 640x480 MJPEG (USB 2.0 cannot carry raw 720p at 30 fps),
// else raw YUYV (no decoding, no JPEG artefacts).
//

#ifndef CAMSVC_CAMERAS_V4L2MODE_H
#define CAMSVC_CAMERAS_V4L2MODE_H

#include "V4l2Device.h"
#include <optional>
#include <string>

namespace camsvc::cameras {

struct V4l2Mode
{
	std::string fourcc;   // "MJPG", "H264", "YUYV", ...
	int width = 0;
	int height = 0;
	double fps = 0;       // 0: the driver's default
	std::string inputFormat() const;
		/// FFmpeg video4linux2 input_format: "mjpeg", "h264", "yuyv422", or the
		/// fourcc's FFmpeg name; empty if FFmpeg has none.
};

std::optional<V4l2Mode> chooseV4l2Mode(const V4l2Capabilities& caps, const std::string& size, const std::string& rate,
	const std::string& format);
	/// Empty when the camera offers nothing (no formats). size "WxH", rate and
	/// format ("mjpeg", "MJPEG", "MJPG", "h264", "yuyv422", "YUYV") narrow
	/// the choice; a size the camera does not list is kept (the driver picks
	/// the nearest), a format it does not offer is ignored.

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_V4L2MODE_H
