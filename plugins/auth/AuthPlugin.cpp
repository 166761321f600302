//
// AuthPlugin.cpp
//
// The auth plugin: provides the Authenticator and RequestGuard services to
// the core (which implements the authenticate method itself), and runs one
// maintenance thread that picks up key store changes made by
// camera-service-admin, writes batched last-use times and forgets idle
// rate-limit state.
//

#include "ApiKeyStore.h"
#include "AuthGuard.h"
#include "AuthSettings.h"
#include "JwtCodec.h"
#include "JwtSecret.h"
#include "TokenAuthenticator.h"
#include <camsvc/sdk/PeriodicTask.h>
#include <camsvc/sdk/Plugin.h>
#include <Poco/Exception.h>
#include <chrono>
#include <map>
#include <set>

namespace camsvc::auth {

class AuthPlugin: public sdk::Plugin
{
public:
	void declareConfig(sdk::ConfigSchema& schema) override
	{
		AuthSettings::declare(schema);
	}

	void load(sdk::Host& host) override
	{
		_host = &host;
		_settings = AuthSettings::fromConfig(host.config(), host.stateDirectory());
		JwtSecret secret = loadJwtSecret(_settings, true);
		Poco::Logger& log = host.logger();
		if (secret.generated)
		{
			log.warning("No JWT secret configured: generated one in %s (mode 0600). "
				"Mint a token with: camera-service-admin token --role admin --user <name> --ttl 3600 "
				"(add --config=<your properties file> if it sets state.directory)", secret.source);
		}
		auto jwt = std::make_shared<const JwtCodec>(secret.value, _settings.algorithms, _settings.clockSkewSeconds);
		_keys = std::make_shared<ApiKeyStore>(_settings.apiKeysFile);
		_guard = std::make_shared<AuthGuard>(_settings);
		host.provide<sdk::Authenticator>(std::make_shared<TokenAuthenticator>(jwt, _keys));
		host.provide<sdk::RequestGuard>(_guard);
		log.information("JWT secret from %s; API keys in %s (%z keys)", secret.source, _settings.apiKeysFile, _keys->list().size());
	}

	void reload() override
	{
		// Live: the rate limits and failure throttles. The secret, algorithms and key store need a restart.
		AuthSettings settings = AuthSettings::fromConfig(_host->config(), _host->stateDirectory());
		_guard->setLimits(settings);
		_host->logger().information("rate limits: %.2f/s burst %.2f per connection, %.2f/s burst %.2f per identity; "
			"failures: %.2f/min per address, close after %d", settings.connectionRate.requestsPerSecond, settings.connectionRate.burst,
			settings.identityRate.requestsPerSecond, settings.identityRate.burst, settings.failuresPerMinute, settings.maxFailuresPerConnection);
	}

	void start() override
	{
		_usableKeys = usableKeys();
		_nextFlush = std::chrono::steady_clock::now() + std::chrono::seconds(_settings.lastUsedFlushSeconds);
		_maintenance.start(std::chrono::seconds(_settings.reloadIntervalSeconds), [this] { maintain(); });
	}

	void stop() override
	{
		_maintenance.stop();
		runTask("write API key last-use times", [this] { _keys->flushLastUsed(); });
	}

private:
	void maintain()
		/// Every auth.api_keys.reload_interval: reload, sign out withdrawn keys, sweep, and now and then flush.
	{
		runTask("reload API keys", [this]
		{
			if (_keys->reloadIfChanged())
				_host->logger().information("API keys reloaded from %s", _keys->path());
			// Every tick, not only after this reload: a sign-in with a new key reloads the file too.
			endSessionsOfWithdrawnKeys();
		});
		_guard->sweep();
		if (std::chrono::steady_clock::now() >= _nextFlush)
		{
			runTask("write API key last-use times", [this] { _keys->flushLastUsed(); });
			_nextFlush = std::chrono::steady_clock::now() + std::chrono::seconds(_settings.lastUsedFlushSeconds);
		}
	}

	std::set<std::string> usableKeys() const
		/// Ids of keys that are neither revoked nor expired.
	{
		std::set<std::string> ids;
		Poco::Timestamp now;
		for (const auto& k: _keys->list())
			if (!k.revoked && (!k.expiresAtAll() || k.expires > now))
				ids.insert(k.id);
		return ids;
	}

	void endSessionsOfWithdrawnKeys()
		/// A key revoked or deleted (camera-service-admin keys revoke) signs
		/// out the connections that authenticated with it, within one reload
		/// interval. Expiry needs nothing: the core checks it on every call.
	{
		std::set<std::string> now = usableKeys();
		for (const auto& id: _usableKeys)
			if (!now.count(id))
				_host->endSessions("api_key", id, "revoked");
		_usableKeys = std::move(now);
	}

	template <class Task>
	void runTask(const std::string& what, Task task)
		/// Runs a maintenance task; logs a failure once until it changes or recovers.
	{
		try
		{
			task();
			_lastError.erase(what);
		}
		catch (std::exception& e)
		{
			std::string text = what + " failed: " + (dynamic_cast<Poco::Exception*>(&e) ? static_cast<Poco::Exception&>(e).displayText() : e.what());
			if (_lastError[what] != text)
				_host->logger().warning(text);
			_lastError[what] = text;
		}
	}

	sdk::Host* _host = nullptr;
	AuthSettings _settings;
	std::shared_ptr<ApiKeyStore> _keys;
	std::shared_ptr<AuthGuard> _guard;
	std::set<std::string> _usableKeys; // maintenance thread only (after start())
	std::chrono::steady_clock::time_point _nextFlush; // maintenance thread only (after start())
	std::map<std::string, std::string> _lastError; // per task; maintenance thread (and stop(), after join) only
	sdk::PeriodicTask _maintenance; // last: stopped before the members it uses go
};

} // namespace camsvc::auth

CAMSVC_PLUGIN(camsvc::auth::AuthPlugin, "auth", "1.0.0", "JWT and API key authentication, rate limits")
