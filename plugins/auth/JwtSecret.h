//
// JwtSecret.h
//
// Where the HMAC secret comes from: auth.jwt.secret, else auth.jwt.secret_file,
// else <state dir>/jwt_secret, generated on the server's first start so the
// quick start works without editing files. The admin tool resolves it the same
// way (without generating), so both always sign and verify with one secret.
//

#ifndef CAMSVC_AUTH_JWTSECRET_H
#define CAMSVC_AUTH_JWTSECRET_H

#include "AuthSettings.h"
#include <string>

namespace camsvc::auth {

struct JwtSecret
{
	static constexpr std::size_t MinimumLength = 16;
	static constexpr std::size_t GeneratedBytes = 48;

	std::string value;      // the HMAC key; never log it
	std::string source;     // "auth.jwt.secret" or the file it was read from
	bool generated = false; // true: created just now in the state directory
};

JwtSecret loadJwtSecret(const AuthSettings& settings, bool generateIfMissing);
	/// Resolves the secret as described above. Throws Poco::Exception with a
	/// message that says what to configure when the secret is missing, empty
	/// or shorter than MinimumLength.

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_JWTSECRET_H
