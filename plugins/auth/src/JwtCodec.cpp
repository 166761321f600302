//
// JwtCodec.cpp
//

#include "JwtCodec.h"
#include "AuthErrors.h"
#include <Poco/Exception.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Token.h>
#include <algorithm>
#include <cmath>

namespace camsvc {
namespace auth {

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

} // namespace

JwtCodec::JwtCodec(const std::string& secret, const std::set<std::string>& algorithms, int clockSkewSeconds):
	_signer(secret),
	_skew(static_cast<Poco::Timestamp::TimeDiff>(clockSkewSeconds) * Second)
{
	if (algorithms.count(Poco::JWT::Signer::ALGO_NONE))
		throw Poco::InvalidArgumentException("auth.jwt.algorithms", "'none' is never allowed");
	_signer.setAlgorithms(algorithms);
}

sdk::Identity JwtCodec::verify(const std::string& token, const Poco::Timestamp& now) const
{
	if (std::count(token.begin(), token.end(), '.') != 2)
		throw authenticationFailed(Reason::InvalidToken, "malformed token");

	Poco::JWT::Token jwt;
	try
	{
		jwt = _signer.verify(token);
	}
	catch (Poco::JWT::UnallowedAlgorithmException&)
	{
		throw authenticationFailed(Reason::InvalidToken, "algorithm not allowed");
	}
	catch (Poco::JWT::SignatureVerificationException&)
	{
		throw authenticationFailed(Reason::InvalidToken, "bad signature");
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

	const Poco::JSON::Object& payload = jwt.payload();
	Poco::Timestamp expires(0), notBefore(0), issuedAt(0);
	if (!numericClaim(payload, "exp", expires))
		throw authenticationFailed(Reason::InvalidToken, "claim exp missing");
	if (expires + _skew <= now)
		throw authenticationFailed(Reason::TokenExpired, "token expired");
	if (numericClaim(payload, "nbf", notBefore) && notBefore - _skew > now)
		throw authenticationFailed(Reason::TokenNotYetValid, "token not valid yet (nbf)");
	if (numericClaim(payload, "iat", issuedAt) && issuedAt - _skew > now)
		throw authenticationFailed(Reason::TokenNotYetValid, "token issued in the future (iat)");

	sdk::Identity identity;
	identity.userId = stringClaim(payload, "user_id");
	if (identity.userId.empty())
		identity.userId = stringClaim(payload, "sub");
	if (identity.userId.empty())
		throw authenticationFailed(Reason::InvalidToken, "claim user_id/sub missing");
	if (!sdk::parseRole(stringClaim(payload, "role"), identity.role))
		throw authenticationFailed(Reason::InvalidToken, "claim role missing or unknown");
	identity.expiresAt = expires;
	identity.method = "jwt";
	return identity;
}

std::string JwtCodec::issue(const std::string& userId, sdk::Role role, int ttlSeconds,
	const std::string& algorithm, const Poco::Timestamp& now) const
{
	if (userId.empty())
		throw Poco::InvalidArgumentException("user", "empty");
	if (role == sdk::Role::None)
		throw Poco::InvalidArgumentException("role", "none");
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

} } // namespace camsvc::auth
