//
// V4l2Device.h
//
// What a /dev/videoN node can do, read with the V4L2 ioctls through libv4l2:
// only capture-capable nodes are cameras (a USB camera also exposes a
// metadata node, which is skipped).
//

#ifndef CAMSVC_CAMERAS_V4L2DEVICE_H
#define CAMSVC_CAMERAS_V4L2DEVICE_H

#include <optional>
#include <string>
#include <vector>

namespace camsvc::cameras {

struct V4l2Format
{
	std::string fourcc;                 // "YUYV", "MJPG", "H264"
	std::string description;
	std::vector<std::pair<int, int>> sizes;
	std::vector<double> fps;            // every rate of any size, highest first
	std::vector<std::vector<double>> rates; // frame rates of each size (discrete intervals; empty if stepwise)
};

struct V4l2Capabilities
{
	std::string card;     // human name
	std::string driver;
	std::string busInfo;
	bool capture = false; // VIDEO_CAPTURE(_MPLANE) and STREAMING
	std::vector<V4l2Format> formats;
};

std::optional<V4l2Capabilities> probeV4l2(const std::string& devicePath, std::string* error = nullptr);
	/// Opens the node and queries it (QUERYCAP, ENUM_FMT, ENUM_FRAMESIZES,
	/// ENUM_FRAMEINTERVALS). Empty when it cannot be opened or is not a V4L2 node.
	/// Formats libv4lconvert only emulates (V4L2_FMT_FLAG_EMULATED) are left out:
	/// capture goes to the driver directly. Needs no privilege: it works while
	/// another program streams from the device.

std::string fourccName(unsigned int fourcc);
std::string friendlyFormat(const std::string& fourcc);
	/// "MJPG" -> "MJPEG"; others unchanged.

int videoIndex(const std::string& fileName);
	/// "video3" -> 3; -1 if the name is not videoN.

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_V4L2DEVICE_H
