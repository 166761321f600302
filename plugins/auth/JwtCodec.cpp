//
// JwtCodec.cpp
//

#include "JwtCodec.h"
#include "AuthErrors.h"
#include <Poco/Exception.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h> // the BASE64_ option flags
#include <Poco/JWT/Token.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace camsvc::auth {

namespace {

constexpr Poco::Timestamp::TimeDiff Second = 1000000; // Poco::Timestamp::resolution()

bool numericClaim(const Poco::JSON::Object& payload, const std::string& name, Poco::Timestamp& out)
	/// NumericDate claim (seconds since the epoch) -> out; false if absent.
	/// Throws the invalid_token error if present but not a finite number.
{
	if (!payload.has(name))
		return false;
	Poco::Dynamic::Var value = payload.get(name);
	if (!value.isNumeric())
		throw authenticationFailed(Reason::InvalidToken, "claim " + name + " is not a number");
	double seconds = value.convert<double>();
	if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0) // year 9999
		throw authenticationFailed(Reason::InvalidToken, "claim " + name + " out of range");
	out = Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(seconds) * Second);
	return true;
}

std::string stringClaim(const Poco::JSON::Object& payload, const std::string& name)
{
	if (!payload.has(name))
		return {};
	Poco::Dynamic::Var value = payload.get(name);
	return value.isString() ? value.extract<std::string>() : std::string();
}

const EVP_MD* hmacDigest(const std::string& algorithm)
{
	if (algorithm == Poco::JWT::Signer::ALGO_HS256)
		return EVP_sha256();
	if (algorithm == Poco::JWT::Signer::ALGO_HS384)
		return EVP_sha384();
	if (algorithm == Poco::JWT::Signer::ALGO_HS512)
		return EVP_sha512();
	return nullptr;
}

bool decodeSignature(const std::string& text, unsigned char (&out)[EVP_MAX_MD_SIZE], std::size_t& length)
	/// The signature part (base64url, no padding) -> out; false if it is not
	/// base64url or longer than any HMAC.
{
	std::istringstream in(text);
	Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	char buffer[EVP_MAX_MD_SIZE + 1];
	decoder.read(buffer, sizeof buffer); // a decoding error sets badbit (istream::read catches it)
	length = static_cast<std::size_t>(decoder.gcount());
	if (decoder.bad() || length > EVP_MAX_MD_SIZE)
		return false;
	std::memcpy(out, buffer, length);
	return true;
}

} // namespace

JwtCodec::JwtCodec(const std::string& secret, const std::set<std::string>& algorithms, int clockSkewSeconds,
	std::size_t cacheCapacity):
	_signer(secret),
	_secret(secret),
	_skew(static_cast<Poco::Timestamp::TimeDiff>(clockSkewSeconds) * Second),
	_cachePerShard(cacheCapacity / decltype(_verified)::ShardCount)
{
	if (algorithms.count(Poco::JWT::Signer::ALGO_NONE))
		throw Poco::InvalidArgumentException("auth.jwt.algorithms", "'none' is never allowed");
	_signer.setAlgorithms(algorithms);
}

sdk::Identity JwtCodec::verify(const std::string& token, const Poco::Timestamp& now) const
{
	Verified verified;
	if (_cachePerShard && _verified.find(token, [&](const Verified& cached) { verified = cached; }))
	{
		checkTimes(verified, now);
		return verified.identity;
	}
	verified = verifyUncached(token, now);
	if (_cachePerShard && token.size() <= CacheableLength)
		_verified.insertBounded(token, verified, _cachePerShard);
	return verified.identity;
}

void JwtCodec::checkTimes(const Verified& verified, const Poco::Timestamp& now) const
{
	if (verified.identity.expiresAt + _skew <= now)
		throw authenticationFailed(Reason::TokenExpired, "token expired");
	if (verified.validFrom - _skew > now)
		throw authenticationFailed(Reason::TokenNotYetValid, "token not valid yet (nbf/iat)");
}

JwtCodec::Verified JwtCodec::verifyUncached(const std::string& token, const Poco::Timestamp& now) const
{
	if (std::count(token.begin(), token.end(), '.') != 2)
		throw authenticationFailed(Reason::InvalidToken, "malformed token");

	Poco::JWT::Token jwt;
	try
	{
		jwt = Poco::JWT::Token(token); // parses header and payload, keeps the signature text
	}
	catch (Poco::Exception&)
	{
		// Base64, JSON or structure errors from parsing header or payload.
		throw authenticationFailed(Reason::InvalidToken, "malformed token");
	}
	catch (std::exception&)
	{
		throw authenticationFailed(Reason::InvalidToken, "malformed token");
	}
	const std::string algorithm = jwt.getAlgorithm();
	const EVP_MD* digest = hmacDigest(algorithm);
	if (!digest || !_signer.getAlgorithms().count(algorithm))
		throw authenticationFailed(Reason::InvalidToken, "algorithm not allowed");
	if (!signatureMatches(digest, token))
		throw authenticationFailed(Reason::InvalidToken, "bad signature");

	const Poco::JSON::Object& payload = jwt.payload();
	Verified verified;
	sdk::Identity& identity = verified.identity;
	Poco::Timestamp notBefore(0), issuedAt(0);
	if (!numericClaim(payload, "exp", identity.expiresAt))
		throw authenticationFailed(Reason::InvalidToken, "claim exp missing");
	numericClaim(payload, "nbf", notBefore);
	numericClaim(payload, "iat", issuedAt);
	verified.validFrom = std::max(notBefore, issuedAt);
	checkTimes(verified, now);

	identity.userId = stringClaim(payload, "user_id");
	if (identity.userId.empty())
		identity.userId = stringClaim(payload, "sub");
	if (identity.userId.empty())
		throw authenticationFailed(Reason::InvalidToken, "claim user_id/sub missing");
	if (!sdk::parseRole(stringClaim(payload, "role"), identity.role))
		throw authenticationFailed(Reason::InvalidToken, "claim role missing or unknown");
	identity.method = "jwt";
	return verified;
}

bool JwtCodec::signatureMatches(const EVP_MD* digest, const std::string& token) const
{
	// Poco's Signer::verify compares the HMAC with ==, which returns at the
	// first differing byte: the time it takes tells an attacker how much of a
	// forged signature is right. CRYPTO_memcmp takes the same time either way.
	const std::size_t signatureStart = token.rfind('.') + 1; // two dots checked by the caller
	unsigned char signature[EVP_MAX_MD_SIZE];
	std::size_t signatureLength = 0;
	if (!decodeSignature(token.substr(signatureStart), signature, signatureLength))
		return false;
	unsigned char expected[EVP_MAX_MD_SIZE];
	unsigned int expectedLength = 0;
	if (!HMAC(digest, _secret.data(), static_cast<int>(_secret.size()),
			reinterpret_cast<const unsigned char*>(token.data()), signatureStart - 1, expected, &expectedLength))
		return false;
	return signatureLength == expectedLength && CRYPTO_memcmp(signature, expected, expectedLength) == 0;
}

std::string JwtCodec::issue(const std::string& userId, sdk::Role role, int ttlSeconds,
	const std::string& algorithm, const Poco::Timestamp& now) const
{
	checkGrant("user", userId, role);
	if (ttlSeconds < 1)
		throw Poco::InvalidArgumentException("ttl", "must be >= 1 second");
	if (!_signer.getAlgorithms().count(algorithm))
		throw Poco::InvalidArgumentException("algorithm", algorithm + " is not in auth.jwt.algorithms");

	Poco::Timestamp issued(now.epochTime() * Second); // whole seconds, as NumericDate
	Poco::JWT::Token jwt;
	jwt.setType("JWT");
	jwt.setSubject(userId);
	jwt.payload().set("user_id", userId);
	jwt.payload().set("role", std::string(sdk::roleName(role)));
	jwt.setIssuedAt(issued);
	jwt.setExpiration(issued + static_cast<Poco::Timestamp::TimeDiff>(ttlSeconds) * Second);
	return _signer.sign(jwt, algorithm);
}

} // namespace camsvc::auth
