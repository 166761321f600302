//
// AuthErrors.h
//
// The errors of the auth plugin, built in one place so codes, messages and
// data.reason stay consistent. Messages never contain the token.
//

#ifndef CAMSVC_AUTH_AUTHERRORS_H
#define CAMSVC_AUTH_AUTHERRORS_H

#include <camsvc/sdk/Errors.h>
#include <camsvc/sdk/Role.h>
#include <Poco/Exception.h>
#include <cstdint>
#include <string>

namespace camsvc::auth {

namespace Reason {
	constexpr const char* InvalidToken     = "invalid_token";
	constexpr const char* TokenExpired     = "token_expired";
	constexpr const char* TokenNotYetValid = "token_not_yet_valid";
	constexpr const char* Revoked          = "revoked";
	constexpr const char* RateLimited      = "rate_limited";
	constexpr const char* TooManyFailures  = "too_many_failures";
}

inline sdk::RpcError authenticationFailed(const char* reason, const std::string& detail)
	/// -32001 "Authentication failed: <detail>" with data.reason.
{
	return sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed: " + detail, reason);
}

inline sdk::RpcError rateLimited(const char* reason, const std::string& scope, std::int64_t retryAfterMs)
	/// -32002 with data {reason, scope, retry_after_ms}.
{
	Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
	data->set("reason", reason);
	data->set("scope", scope);
	data->set("retry_after_ms", retryAfterMs);
	return sdk::RpcError(sdk::ErrorCode::RateLimitExceeded, "Rate limit exceeded", data);
}

inline void checkGrant(const char* holderField, const std::string& holder, sdk::Role role)
	/// What every credential issued here (API key, JWT) needs: a named holder
	/// and a real role; Poco::InvalidArgumentException naming the field otherwise.
{
	if (holder.empty())
		throw Poco::InvalidArgumentException(holderField, "empty");
	if (role == sdk::Role::None)
		throw Poco::InvalidArgumentException("role", "none");
}

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_AUTHERRORS_H
