//
// DeviceSpec.h
//
// What a fake V4L2 node is, read from the JSON file that stands for it
// (<FAKE_V4L2_DIR>/videoN):
//
//   {"driver":"uvcvideo","card":"Fake UVC Camera","bus_info":"usb-0000:00:14.0-1",
//    "formats":[{"fourcc":"YUYV","sizes":["640x480","1280x720"],"fps":[30,10]},
//               {"fourcc":"MJPG","sizes":["1280x720"],"fps":[30]}],
//    "metadata":false}
//
// Formats and sizes keep the file's order (the order ENUM_FMT and
// ENUM_FRAMESIZES report, like a UVC descriptor's); frame intervals are
// sorted shortest first, as uvc_try_frame_interval() expects.
//

#ifndef CAMSVC_FAKEV4L2_DEVICESPEC_H
#define CAMSVC_FAKEV4L2_DEVICESPEC_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace camsvc::fakev4l2 {

struct FormatSpec
{
	std::uint32_t fourcc = 0;
	std::vector<std::pair<unsigned, unsigned>> sizes;
	std::vector<std::uint32_t> intervals; // 100 ns units (UVC dwFrameInterval), shortest first
	bool compressed() const;
	const char* description() const;
		/// The name the V4L2 core gives the format ("YUYV 4:2:2", "Motion-JPEG", "H.264").
};

struct DeviceSpec
{
	std::string driver = "uvcvideo";
	std::string card = "Fake UVC Camera";
	std::string busInfo = "usb-0000:00:14.0-1";
	bool metadata = false;
	std::vector<FormatSpec> formats;
};

bool parseDeviceSpec(const std::string& json, DeviceSpec& spec, std::string& error);
	/// False (with the reason) for malformed JSON, unknown fourccs, bad sizes
	/// or rates, or a capture node without formats.

std::uint32_t fourccCode(const std::string& name);
	/// "YUYV" -> V4L2_PIX_FMT_YUYV; 0 for anything the rig cannot produce.

} // namespace camsvc::fakev4l2

#endif // CAMSVC_FAKEV4L2_DEVICESPEC_H
