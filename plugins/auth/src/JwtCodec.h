//
// JwtCodec.h
//
// Verifies and issues the service's JWTs (Poco::JWT, HMAC). Verification is
// strict: only the configured algorithms (never "none"), a valid signature,
// a numeric exp in the future, nbf/iat not in the future, a user (user_id or
// sub) and a known role; clock skew applies to every time check.
//

#ifndef CAMSVC_AUTH_JWTCODEC_H
#define CAMSVC_AUTH_JWTCODEC_H

#include <camsvc/sdk/Identity.h>
#include <Poco/JWT/Signer.h>
#include <Poco/Timestamp.h>
#include <set>
#include <string>

namespace camsvc {
namespace auth {

class JwtCodec
{
public:
	JwtCodec(const std::string& secret, const std::set<std::string>& algorithms, int clockSkewSeconds);

	sdk::Identity verify(const std::string& token, const Poco::Timestamp& now = Poco::Timestamp()) const;
		/// The identity the token carries (method "jwt"), or throws
		/// RpcError(-32001) with data.reason invalid_token, token_expired or
		/// token_not_yet_valid. Thread-safe.

	std::string issue(const std::string& userId, sdk::Role role, int ttlSeconds,
		const std::string& algorithm = "HS256", const Poco::Timestamp& now = Poco::Timestamp()) const;
		/// A signed token with claims user_id, sub, role, iat, exp. Throws
		/// Poco::InvalidArgumentException for an empty user, Role::None, a
		/// ttl < 1 or an algorithm that is not configured. Thread-safe.

private:
	Poco::JWT::Signer _signer;
	Poco::Timestamp::TimeDiff _skew; // microseconds
};

} } // namespace camsvc::auth

#endif // CAMSVC_AUTH_JWTCODEC_H
