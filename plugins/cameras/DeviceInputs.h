//
// DeviceInputs.h
//
// FFmpeg's device inputs (lavfi for the test pattern, video4linux2) live in
// libavdevice, which drags in libavfilter and dozens of libraries: about
// 17 MB of resident memory. It is loaded the first time a pipeline needs a
// device input, not when the plugin loads, so an idle service stays small.
//

#ifndef CAMSVC_CAMERAS_DEVICEINPUTS_H
#define CAMSVC_CAMERAS_DEVICEINPUTS_H

#include <string>

namespace camsvc::cameras {

bool ensureDeviceInputs(std::string* error = nullptr);
	/// Loads libavdevice and registers its inputs, once. Thread-safe.

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_DEVICEINPUTS_H
