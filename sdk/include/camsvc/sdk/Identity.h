//
// Identity.h
//
// Who is calling: what an Authenticator makes of a token.
//

#ifndef CAMSVC_SDK_IDENTITY_H
#define CAMSVC_SDK_IDENTITY_H

#include "camsvc/sdk/Role.h"
#include <Poco/JSON/Object.h>
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

inline Poco::JSON::Object::Ptr identityRecord(const Identity& identity)
	/// Inline, compiled into the plugin: an identity the plugin made, as the
	/// record the host reads (Host::call()).
{
	Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
	r->set("userId", identity.userId);
	r->set("role", static_cast<int>(identity.role));
	r->set("expiresAt", static_cast<Poco::Int64>(identity.expiresAt.epochMicroseconds()));
	r->set("method", identity.method);
	return r;
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_IDENTITY_H
