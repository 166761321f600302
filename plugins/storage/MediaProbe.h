//
// MediaProbe.h
//
// Checks a recording with libavformat: can it be opened, does it have a
// stream and a first packet, and how long is it. Used when a file appears or
// changes behind the catalog's back, and for recordings a crash left open.
//

#ifndef CAMSVC_STORAGE_MEDIAPROBE_H
#define CAMSVC_STORAGE_MEDIAPROBE_H

#include <string>

namespace camsvc::storage {

struct ProbeResult
{
	bool decodable = false;
	double duration = 0;  // seconds, 0 if unknown
	std::string error;    // why not decodable
};

ProbeResult probeMedia(const std::string& path);
	/// Thread-safe; blocks for the time libavformat needs to read headers
	/// (milliseconds for local files).

} // namespace camsvc::storage

#endif
