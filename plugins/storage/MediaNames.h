//
// MediaNames.h
//
// File names of media: what a safe plain name is, which extensions each kind
// allows, the generated "cameraN_YYYY-MM-DD_HH-MM-SS" names and the MIME type
// of a download. One place, so reserve(), the methods and the download route
// accept exactly the same names.
//

#ifndef CAMSVC_STORAGE_MEDIANAMES_H
#define CAMSVC_STORAGE_MEDIANAMES_H

#include "camsvc/sdk/MediaStore.h"
#include <Poco/Timestamp.h>
#include <string>

namespace camsvc::storage {

constexpr std::size_t MaxNameLength = 200;

std::string extensionOf(const std::string& name);
	/// Lower-case extension without the dot, or "" if none.

bool allowedExtension(sdk::MediaKind kind, const std::string& extension);
	/// recordings: mp4, mkv; snapshots: jpg, jpeg, png.

std::string nameProblem(sdk::MediaKind kind, const std::string& name);
	/// "" if name is a safe plain media name of the kind, else the reason
	/// (machine-readable: "empty", "too_long", "control_character",
	/// "path_separator", "dot_segment", "hidden", "extension_not_allowed").

bool validCamera(const std::string& camera);
	/// [A-Za-z0-9_-]{1,64}.

std::string generatedStem(sdk::MediaKind kind, const std::string& camera, const Poco::Timestamp& at);
	/// "camera0_2025-01-15_14-30-00" (UTC), snapshots with "-123" milliseconds.

std::string contentType(const std::string& extension);

sdk::MediaKind kindOf(const std::string& kindName);
	/// "recording" or "snapshot" (throws std::invalid_argument otherwise).

} // namespace camsvc::storage

#endif
