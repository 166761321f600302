//
// JwtCodec.h
//
// Verifies and issues the service's JWTs (Poco::JWT, HMAC; signatures are
// checked in constant time with CRYPTO_memcmp, not Poco's ==). Verification is
// strict: only the configured algorithms (never "none"), a valid signature,
// a numeric exp in the future, nbf/iat not in the future, a user (user_id or
// sub) and a known role; clock skew applies to every time check.
//

#ifndef CAMSVC_AUTH_JWTCODEC_H
#define CAMSVC_AUTH_JWTCODEC_H

#include "ShardedMap.h"
#include <camsvc/sdk/Identity.h>
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/JWT/Signer.h>
#include <Poco/Timestamp.h>
#include <openssl/types.h>
#include <set>
#include <string>

namespace camsvc::auth {

class JwtCodec
{
public:
	static constexpr std::size_t DefaultCacheCapacity = 4096;

	JwtCodec(const std::string& secret, const std::set<std::string>& algorithms, int clockSkewSeconds,
		std::size_t cacheCapacity = DefaultCacheCapacity);
		/// cacheCapacity: how many verified tokens to remember (0: none).

	sdk::Identity verify(const std::string& token, const Poco::Timestamp& now = Poco::Timestamp()) const;
		/// The identity the token carries (method "jwt"), or throws
		/// RpcError(-32001) with data.reason invalid_token, token_expired or
		/// token_not_yet_valid. Thread-safe. Tokens that verified are cached
		/// (by their exact text, up to cacheCapacity), so repeating a token -
		/// per-request auth_token, HTTP Bearer - skips Poco's parse and HMAC;
		/// a cached token is still checked against exp and nbf/iat.

	std::string issue(const std::string& userId, sdk::Role role, int ttlSeconds,
		const std::string& algorithm = "HS256", const Poco::Timestamp& now = Poco::Timestamp()) const;
		/// A signed token with claims user_id, sub, role, iat, exp. Throws
		/// Poco::InvalidArgumentException for an empty user, Role::None, a
		/// ttl < 1 or an algorithm that is not configured. Thread-safe.

private:
	struct Verified
	{
		sdk::Identity identity;
		Poco::Timestamp validFrom{0}; // the later of nbf and iat
	};

	Verified verifyUncached(const std::string& token, const Poco::Timestamp& now) const;
	void checkTimes(const Verified& verified, const Poco::Timestamp& now) const;
	bool signatureMatches(const EVP_MD* digest, const std::string& token) const;
		/// The token's HMAC (over "header.payload") is right, compared in constant time.

	static constexpr std::size_t CacheableLength = 2048; // longer tokens are not cached

	Poco::Crypto::OpenSSLInitializer _openSsl;
		// Keeps OpenSSL initialized for the codec's life: otherwise every
		// HMAC's temporary initializer re-seeds from /dev/urandom (~20 µs).
	Poco::JWT::Signer _signer;  // issues tokens; verification is ours (signatureMatches)
	const std::string _secret;
	Poco::Timestamp::TimeDiff _skew; // microseconds
	std::size_t _cachePerShard;
	mutable ShardedMap<std::string, Verified> _verified;
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_JWTCODEC_H
