//
// EffectiveConfig.h
//
// The configuration as the service will run it, key by key: the value
// (--define over the file over the declared default, ${...} expanded) and
// where it comes from ("--define", "FILE:LINE", "default"), for the
// validator's problem lines and --check-config.
//

#ifndef CAMSVC_CORE_EFFECTIVECONFIG_H
#define CAMSVC_CORE_EFFECTIVECONFIG_H

#include "config/ConfigKeyTable.h"
#include <Poco/Util/AbstractConfiguration.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace camsvc::core {

std::map<std::string, int> propertiesKeyLines(const std::string& path);
	/// Each key of a properties file and the line it is set on (the last one
	/// when set twice, as Poco reads it). Throws Poco::FileException when the file cannot be read.

class EffectiveConfig
{
public:
	EffectiveConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath,
		std::map<std::string, int> fileLines, std::set<std::string> defined);
		/// values: the layered configuration (--define over the file); filePath
		/// as given on the command line ("" = none); fileLines from
		/// propertiesKeyLines(); defined: the keys given with --define.

	bool isSet(const std::string& key) const;
		/// Given in the file or with --define.
	std::string origin(const std::string& key) const;
	std::string value(const DeclaredKey& key) const;
		/// The effective value of a declared key; its default when not set.
	std::string value(const std::string& key) const;
		/// The effective value of a key that is set.
	std::vector<std::string> setKeys() const;
		/// Every key the file and --define set, sorted.
	const Poco::Util::AbstractConfiguration& values() const { return _values; }

private:
	const Poco::Util::AbstractConfiguration& _values;
	std::string _filePath;
	std::map<std::string, int> _fileLines;
	std::set<std::string> _defined;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_EFFECTIVECONFIG_H
