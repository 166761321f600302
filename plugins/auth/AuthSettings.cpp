//
// AuthSettings.cpp
//

#include "AuthSettings.h"
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>

namespace camsvc::auth {

namespace {

int positiveInt(const Poco::Util::AbstractConfiguration& config, const std::string& key, int def, int minimum)
{
	int value = config.getInt(key, def);
	if (value < minimum)
		throw Poco::InvalidArgumentException(key, "must be >= " + std::to_string(minimum));
	return value;
}

double nonNegative(const Poco::Util::AbstractConfiguration& config, const std::string& key, double def)
{
	double value = config.getDouble(key, def);
	if (value < 0)
		throw Poco::InvalidArgumentException(key, "must be >= 0");
	return value;
}

std::set<std::string> parseAlgorithms(const std::string& list)
{
	// Only HMAC: the service holds a shared secret, not a public key, so an
	// RSA/EC algorithm could never verify; "none" is never acceptable.
	static const std::set<std::string> supported = {
		Poco::JWT::Signer::ALGO_HS256, Poco::JWT::Signer::ALGO_HS384, Poco::JWT::Signer::ALGO_HS512};
	std::set<std::string> result;
	Poco::StringTokenizer tokens(list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& name: tokens)
	{
		if (!supported.count(name))
			throw Poco::InvalidArgumentException("auth.jwt.algorithms", "unsupported algorithm '" + name + "' (HS256, HS384, HS512)");
		result.insert(name);
	}
	if (result.empty())
		throw Poco::InvalidArgumentException("auth.jwt.algorithms", "empty");
	return result;
}

} // namespace

AuthSettings AuthSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	return fromConfig(config, config.getString("state.directory", DefaultStateDirectory));
}

AuthSettings AuthSettings::fromConfig(const Poco::Util::AbstractConfiguration& config, const std::string& stateDirectory)
{
	AuthSettings s;
	s.stateDirectory = stateDirectory;
	s.jwtSecret = config.getString("auth.jwt.secret", "");
	s.jwtSecretFile = config.getString("auth.jwt.secret_file", "");
	s.algorithms = parseAlgorithms(config.getString("auth.jwt.algorithms", "HS256"));
	s.clockSkewSeconds = positiveInt(config, "auth.jwt.clock_skew_seconds", 30, 0);
	s.apiKeysFile = config.getString("auth.api_keys.file", "");
	if (s.apiKeysFile.empty())
		s.apiKeysFile = Poco::Path(Poco::Path::forDirectory(stateDirectory), "api_keys.json").toString();
	s.lastUsedFlushSeconds = positiveInt(config, "auth.api_keys.last_used_flush_seconds", 60, 1);
	s.reloadIntervalSeconds = positiveInt(config, "auth.api_keys.reload_interval_seconds", 2, 1);
	s.connectionRate.requestsPerSecond = nonNegative(config, "auth.rate_limit.requests_per_second", 100);
	s.connectionRate.burst = nonNegative(config, "auth.rate_limit.burst", 200);
	s.identityRate.requestsPerSecond = nonNegative(config, "auth.rate_limit.identity_requests_per_second", 500);
	s.identityRate.burst = nonNegative(config, "auth.rate_limit.identity_burst", 1000);
	s.maxFailuresPerConnection = positiveInt(config, "auth.brute_force.max_failures", 5, 1);
	s.failuresPerMinute = nonNegative(config, "auth.brute_force.failures_per_minute", 10);
	s.failureDelayMs = positiveInt(config, "auth.brute_force.failure_delay_ms", 250, 0);
	return s;
}

void AuthSettings::declare(sdk::ConfigSchema& schema)
{
	using sdk::ConfigKey;
	using sdk::ConfigType;
	schema.declare(ConfigKey("auth.jwt.secret", ConfigType::String, "", "HMAC secret for JWTs, inline (at least 16 bytes)").masked());
	schema.declare(ConfigKey("auth.jwt.secret_file", ConfigType::Path, "", "File holding the JWT secret (first line)"));
	schema.declare(ConfigKey("auth.jwt.algorithms", ConfigType::List, "HS256", "Accepted JWT algorithms")
		.values({Poco::JWT::Signer::ALGO_HS256, Poco::JWT::Signer::ALGO_HS384, Poco::JWT::Signer::ALGO_HS512}));
	schema.declare(ConfigKey("auth.jwt.clock_skew_seconds", ConfigType::Integer, "30", "Clock difference tolerated for exp, nbf, iat").range(0, 86400));
	schema.declare(ConfigKey("auth.api_keys.file", ConfigType::Path, "", "API key store; empty: <state.directory>/api_keys.json"));
	schema.declare(ConfigKey("auth.api_keys.last_used_flush_seconds", ConfigType::Integer, "60", "How often key last-use times are written").range(1, 86400));
	schema.declare(ConfigKey("auth.api_keys.reload_interval_seconds", ConfigType::Integer, "2", "How often the key store is checked for changes").range(1, 86400));
	schema.declare(ConfigKey("auth.rate_limit.requests_per_second", ConfigType::Number, "100", "Per connection: refill rate (0 = off)").range(0, 1e300).live());
	schema.declare(ConfigKey("auth.rate_limit.burst", ConfigType::Number, "200", "Per connection: bucket size").range(1, 1e300).live());
	schema.declare(ConfigKey("auth.rate_limit.identity_requests_per_second", ConfigType::Number, "500", "Per identity: refill rate (0 = off)").range(0, 1e300).live());
	schema.declare(ConfigKey("auth.rate_limit.identity_burst", ConfigType::Number, "1000", "Per identity: bucket size").range(1, 1e300).live());
	schema.declare(ConfigKey("auth.brute_force.max_failures", ConfigType::Integer, "5", "Failed attempts before the connection is closed").range(1, 1000000).live());
	schema.declare(ConfigKey("auth.brute_force.failures_per_minute", ConfigType::Number, "10", "Failures allowed per client IP per minute (0 = off)").range(0, 1e300).live());
	schema.declare(ConfigKey("auth.brute_force.failure_delay_ms", ConfigType::Integer, "250", "A failure's answer waits this x the connection's failures").range(0, 60000).live());
}

std::string AuthSettings::generatedSecretFile() const
{
	return Poco::Path(Poco::Path::forDirectory(stateDirectory), "jwt_secret").toString();
}

} // namespace camsvc::auth
