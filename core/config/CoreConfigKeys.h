//
// CoreConfigKeys.h
//
// Every configuration key the core itself reads (server.*, state.*,
// plugins.*, logging.*), declared like a plugin declares its own, and the
// checks of the core's keys that type and range cannot say.
//

#ifndef CAMSVC_CORE_CORECONFIGKEYS_H
#define CAMSVC_CORE_CORECONFIGKEYS_H

#include "config/ConfigKeyTable.h"
#include "config/EffectiveConfig.h"
#include <string>
#include <vector>

namespace camsvc::core {

inline constexpr const char* DefaultPlugins = "auth,metrics,storage,cameras,snapshots,recording,mediamtx,console";
	/// plugins.enabled when not set.

void declareCoreConfig(ConfigKeyTable& table);
	/// Declares the core's keys (owner "core") and attaches their checks.

std::vector<std::string> coreConfigRules(const EffectiveConfig& config);
	/// Problems that involve more than one key (TLS: certificate and key both or neither).

} // namespace camsvc::core

#endif // CAMSVC_CORE_CORECONFIGKEYS_H
