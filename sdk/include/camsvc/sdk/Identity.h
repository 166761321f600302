//
// Identity.h
//
// Who is calling: what an Authenticator makes of a token.
//

#ifndef CAMSVC_SDK_IDENTITY_H
#define CAMSVC_SDK_IDENTITY_H

#include "camsvc/sdk/Role.h"
#include <Poco/Timestamp.h>
#include <string>

namespace camsvc {
namespace sdk {

struct Identity
{
	std::string userId;       // JWT user_id/sub, or the API key's id
	Role role = Role::None;
	Poco::Timestamp expiresAt; // when the credential stops being valid
	std::string method;       // "jwt", "api_key", or what the authenticator says
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_IDENTITY_H
