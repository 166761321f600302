//
// EngineHarness.h
//
// The JSON-RPC engine with what it needs (registry, services, auth gateway,
// metrics) and a test Authenticator whose tokens are role names. Used by the
// engine's unit test and its fuzz target.
//

#ifndef CAMSVC_TEST_ENGINEHARNESS_H
#define CAMSVC_TEST_ENGINEHARNESS_H

#include "camsvc/sdk/Authenticator.h"
#include "camsvc/sdk/Errors.h"
#include "rpc/AuthGateway.h"
#include "rpc/MethodRegistry.h"
#include "rpc/RpcEngine.h"
#include "services/ServiceRegistry.h"
#include <Poco/Logger.h>
#include <Poco/Timespan.h>
#include <memory>

namespace camsvc::test {

class RoleNameAuthenticator: public sdk::Authenticator
	/// "viewer", "operator" or "admin" authenticates user "u" with that role for an hour.
{
public:
	sdk::Record<sdk::Identity> authenticate(const std::string& token) override
	{
		auto identity = std::make_shared<sdk::Identity>();
		sdk::Identity& id = *identity;
		if (!sdk::parseRole(token, id.role))
			throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "invalid_token");
		id.userId = "u";
		id.expiresAt = Poco::Timestamp() + Poco::Timespan(3600, 0);
		return identity;
	}
};

struct EngineHarness
{
	explicit EngineHarness(const std::string& loggerName = "test"):
		auth(services), engine(methods, auth, metrics, Poco::Logger::get(loggerName))
	{
	}

	void useAuthenticator()
		/// Provides the RoleNameAuthenticator (call after registering the methods).
	{
		services.provide("test", sdk::Authenticator::ServiceName, std::make_shared<RoleNameAuthenticator>());
		auth.bindServices();
	}

	core::CoreMetrics metrics;
	core::MethodRegistry methods;
	core::ServiceRegistry services;
	core::AuthGateway auth;
	core::RpcEngine engine;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_ENGINEHARNESS_H
