#include "rpc/AuthGateway.h"
#include <Poco/Timestamp.h>

namespace camsvc {
namespace core {

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
	sdk::Identity identity = _authenticator->authenticate(token);
	if (identity.role == sdk::Role::None)
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Authentication failed", "invalid_role");
	if (identity.expiresAt <= Poco::Timestamp())
		throw sdk::RpcError(sdk::ErrorCode::AuthenticationFailed, "Token expired", "token_expired");
	return identity;
}

sdk::Identity AuthGateway::attempt(const std::string& token, const std::string& remoteAddress, std::uint64_t connectionId,
	bool* closeConnection) const
{
	admitAuthentication(remoteAddress);
	try
	{
		return authenticate(token);
	}
	catch (const sdk::RpcError& e)
	{
		if (e.code() == sdk::ErrorCode::AuthenticationFailed && authenticationFailed(remoteAddress, connectionId) && closeConnection)
			*closeConnection = true;
		throw;
	}
}

void AuthGateway::admitCall(const sdk::CallContext& ctx) const
{
	if (_guard)
		_guard->admitCall(ctx);
}

void AuthGateway::admitAuthentication(const std::string& remoteAddress) const
{
	if (_guard)
		_guard->admitAuthentication(remoteAddress);
}

bool AuthGateway::authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId) const
{
	return _guard && _guard->authenticationFailed(remoteAddress, connectionId);
}

void AuthGateway::connectionClosed(std::uint64_t connectionId) const
{
	if (_guard)
		_guard->connectionClosed(connectionId);
}

} } // namespace camsvc::core
