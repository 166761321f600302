//
// StartPaths.h
//
// Relative paths in the configuration (the file and --define) are relative
// to the working directory the service was started in. The daemon changes to
// "/", and a reload may re-read the file later: so every path key is made
// absolute once, at start, before either can happen.
//

#ifndef CAMSVC_CORE_STARTPATHS_H
#define CAMSVC_CORE_STARTPATHS_H

#include <Poco/Util/LayeredConfiguration.h>
#include <string>
#include <vector>

namespace camsvc::core {

const std::vector<std::string>& pathKeys();
	/// The keys of etc/camera-service.properties whose values are file system
	/// paths (core and plugins). Keys declared ConfigType::Path belong here too.

void resolveStartPaths(Poco::Util::LayeredConfiguration& config, const std::vector<std::string>& keys,
	const std::string& base);
	/// Every key of keys that is set to a relative path gets base/path, in a
	/// layer of its own above all others (label "start-paths"; replaced when
	/// called again), so references such as ${state.directory} expand to the
	/// absolute path as well.

std::string absolutePath(const std::string& path, const std::string& base);
	/// path if absolute (or empty), else base/path, normalised.

} // namespace camsvc::core

#endif // CAMSVC_CORE_STARTPATHS_H
