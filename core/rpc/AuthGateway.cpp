#include "rpc/AuthGateway.h"
#include <Poco/Timestamp.h>
#include <algorithm>
#include <chrono>
#include <thread>

namespace camsvc::core {

AuthGateway::AuthGateway(const ServiceRegistry& services): _services(services)
{
}

void AuthGateway::bindServices()
{
	_authenticator = _services.find<sdk::Authenticator>();
	_guard = _services.find<sdk::RequestGuard>();
}

sdk::Identity AuthGateway::authenticate(const std::string& token) const
{
	if (!_authenticator)
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "no_authenticator");
	if (token.empty())
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "missing_token");
	sdk::Identity identity = *_authenticator->authenticate(token);
	if (identity.role == sdk::Role::None)
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "invalid_role");
	if (identity.expiresAt <= Poco::Timestamp())
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Token expired", "token_expired");
	return identity;
}

sdk::Identity AuthGateway::attempt(const std::string& token, const std::string& remoteAddress, std::uint64_t connectionId,
	bool* closeConnection) const
{
	try
	{
		return authenticate(token); // a valid credential is never held back by failures
	}
	catch (const sdk::RpcError& e)
	{
		if (e.code() != sdk::ErrorCode::AuthenticationFailed || !_guard)
			throw;
		sdk::AuthFailureVerdict verdict = *_guard->authenticationFailed(remoteAddress, connectionId);
		if (verdict.closeConnection && closeConnection)
			*closeConnection = true;
		if (verdict.delayMs > 0)
			std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(verdict.delayMs, MaxFailureDelayMs)));
		if (verdict.retryAfterMs > 0)
		{
			Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
			data->set("reason", "too_many_failures");
			data->set("scope", "address");
			data->set("retry_after_ms", verdict.retryAfterMs);
			throw sdk::RpcError(sdk::ErrorCode::RateLimitExceeded, "Rate limit exceeded", data);
		}
		throw;
	}
}

AuthDecision AuthGateway::decide(const AuthRequest& request) const
{
	AuthDecision decision;
	if (!request.token.empty())
	{
		try
		{
			decision.identity = attempt(request.token, request.remoteAddress, request.connectionId, &decision.closeConnection);
		}
		catch (const sdk::RpcError& e)
		{
			decision.refusal = e;
			return decision;
		}
	}
	else if (request.signedIn)
	{
		if (request.signedIn->expiresAt <= Poco::Timestamp())
		{
			decision.sessionExpired = true;
			decision.refusal = sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Token expired", "token_expired");
			return decision;
		}
		decision.identity = *request.signedIn;
	}
	else
	{
		if (!request.anonymousAllowed && request.minRole != sdk::Role::None)
			decision.refusal = sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication required", request.unauthenticatedReason);
		return decision;
	}
	decision.authenticated = true;
	if (!sdk::roleAtLeast(decision.identity.role, request.minRole))
	{
		Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
		data->set("reason", "insufficient_role");
		data->set("required_role", sdk::roleName(request.minRole));
		data->set("role", sdk::roleName(decision.identity.role));
		decision.refusal = sdk::RpcError(sdk::ErrorCode::PermissionDenied, "Insufficient permissions", data);
	}
	return decision;
}

int AuthDecision::httpStatus() const
{
	if (!refusal)
		return 0;
	if (refusal->code() == sdk::ErrorCode::RateLimitExceeded)
		return 429;
	return refusal->code() == sdk::ErrorCode::PermissionDenied ? 403 : 401;
}

std::string AuthDecision::reason() const
{
	auto data = refusal ? refusal->data() : nullptr;
	return data && data->has("reason") ? data->getValue<std::string>("reason") : "invalid_token";
}

void AuthGateway::admitCall(const sdk::CallContext& ctx) const
{
	if (_guard)
		_guard->admitCall(ctx);
}

void AuthGateway::connectionClosed(std::uint64_t connectionId) const
{
	if (_guard)
		_guard->connectionClosed(connectionId);
}

} // namespace camsvc::core
