//
// ConfigValidator.h
//
// Checks the effective configuration against the declarations: every
// declared key's value against its type, range, choices and length, the
// core's rules across keys, and keys nobody declared under a prefix someone
// uses (a typo: warned with the nearest declared key). One line per problem:
//
//     etc/camera-service.properties:170: cameras.encoder.crf = "banana": expected an integer 0–51
//

#ifndef CAMSVC_CORE_CONFIGVALIDATOR_H
#define CAMSVC_CORE_CONFIGVALIDATOR_H

#include "config/ConfigKeyTable.h"
#include "config/EffectiveConfig.h"
#include <string>
#include <vector>

namespace camsvc::core {

struct ConfigFindings
{
	std::vector<std::string> problems; // the start (or reload) is refused
	std::vector<std::string> warnings; // unknown keys
	bool ok() const { return problems.empty(); }
};

inline constexpr const char* MaskedValue = "********";

ConfigFindings validateConfig(const ConfigKeyTable& table, const EffectiveConfig& config);

std::string problemLine(const std::string& origin, const std::string& key, const std::string& value, const std::string& expected);
	/// `origin: key = "value": expected <expected>`.

std::string shownValue(const DeclaredKey* key, const std::string& value);
	/// The value, or MaskedValue for a secret that is set.

} // namespace camsvc::core

#endif // CAMSVC_CORE_CONFIGVALIDATOR_H
