//
// AuthSettings.h
//
// The auth.* configuration, read once from the service's properties (plus
// --define overrides). Shared by the plugin and camera-service-admin so both
// resolve the same secret file and key store from the same file.
//

#ifndef CAMSVC_AUTH_AUTHSETTINGS_H
#define CAMSVC_AUTH_AUTHSETTINGS_H

#include <camsvc/sdk/Config.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <set>
#include <string>

namespace camsvc::auth {

struct RateSettings
	/// A token bucket: requestsPerSecond refill, up to burst. rate <= 0 disables it.
{
	double requestsPerSecond = 0;
	double burst = 0;

	bool enabled() const { return requestsPerSecond > 0 && burst >= 1; }
};

struct AuthSettings
{
	static constexpr const char* DefaultStateDirectory = "/var/lib/camera-service";

	std::string stateDirectory;       // state.directory
	std::string jwtSecret;            // auth.jwt.secret (inline), may be empty
	std::string jwtSecretFile;        // auth.jwt.secret_file, may be empty
	std::set<std::string> algorithms; // auth.jwt.algorithms, default {HS256}
	int clockSkewSeconds = 30;        // auth.jwt.clock_skew_seconds
	std::string apiKeysFile;          // auth.api_keys.file
	int lastUsedFlushSeconds = 60;    // auth.api_keys.last_used_flush_seconds
	int reloadIntervalSeconds = 2;    // auth.api_keys.reload_interval_seconds
	RateSettings connectionRate;      // auth.rate_limit.requests_per_second / burst
	RateSettings identityRate;        // auth.rate_limit.identity_requests_per_second / identity_burst
	int maxFailuresPerConnection = 5; // auth.brute_force.max_failures
	double failuresPerMinute = 10;    // auth.brute_force.failures_per_minute (per client address)
	int failureDelayMs = 250;         // auth.brute_force.failure_delay_ms (x failures on the connection, up to 4)

	static AuthSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// Reads and validates auth.*; throws Poco::InvalidArgumentException
		/// naming the key on a bad value (e.g. "none" or "RS256" in algorithms).

	static AuthSettings fromConfig(const Poco::Util::AbstractConfiguration& config, const std::string& stateDirectory);
		/// As above, with the state directory the host resolved.

	static void declare(sdk::ConfigSchema& schema);
		/// Every auth.* key fromConfig() reads, with its bounds; the rate limits and throttles are live.
	std::string generatedSecretFile() const;
		/// <state dir>/jwt_secret: where a secret is generated when none is configured.
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_AUTHSETTINGS_H
