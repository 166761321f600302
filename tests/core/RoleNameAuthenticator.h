//
// RoleNameAuthenticator.h
//
// A test Authenticator: the token is a role name ("viewer", "operator",
// "admin") and authenticates user "u" with that role for an hour. Used by
// the engine's unit test and its fuzz target.
//

#ifndef CAMSVC_TEST_ROLENAMEAUTHENTICATOR_H
#define CAMSVC_TEST_ROLENAMEAUTHENTICATOR_H

#include "camsvc/sdk/Authenticator.h"
#include "camsvc/sdk/Errors.h"
#include <Poco/Timespan.h>

namespace camsvc {
namespace test {

class RoleNameAuthenticator: public sdk::Authenticator
{
public:
	sdk::Identity authenticate(const std::string& token) override
	{
		sdk::Identity id;
		if (!sdk::parseRole(token, id.role))
			throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "invalid_token");
		id.userId = "u";
		id.expiresAt = Poco::Timestamp() + Poco::Timespan(3600, 0);
		return id;
	}
};

} } // namespace camsvc::test

#endif // CAMSVC_TEST_ROLENAMEAUTHENTICATOR_H
