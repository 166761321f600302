//
// AuthGateway.h
//
// The core's single path to authentication: finds the Authenticator and the
// optional RequestGuard among the plugins' services. With no Authenticator,
// every token is refused (never silently allowed).
//

#ifndef CAMSVC_CORE_AUTHGATEWAY_H
#define CAMSVC_CORE_AUTHGATEWAY_H

#include "camsvc/sdk/Authenticator.h"
#include "services/ServiceRegistry.h"

#include <optional>

namespace camsvc::core {

struct AuthRequest
	/// What a caller knows when it must decide whether a request may go on.
{
	std::string token;                  ///< presented with this request (auth_token, Bearer, ?token=); empty: none
	const sdk::Identity* signedIn = nullptr; ///< the session's identity (a WebSocket signed in before), if any
	std::string unauthenticatedReason = "missing_token"; ///< data.reason when there is neither
	std::string remoteAddress;
	std::uint64_t connectionId = 0;     ///< 0: an HTTP request
	sdk::Role minRole = sdk::Role::None;
	bool anonymousAllowed = false;      ///< no credential at all is fine (minRole then binds only a presented token)
};

struct AuthDecision
	/// The answer: who it is, or the refusal as a JSON-RPC error whose
	/// data.reason says why (code -32001, -32003 with required_role and role,
	/// or -32002 while the address is over its failure budget).
{
	bool authenticated = false;
	sdk::Identity identity;
	std::optional<sdk::RpcError> refusal;
	bool closeConnection = false; ///< repeated failures on this connection
	bool sessionExpired = false;  ///< the signed-in session's token has expired: unbind it

	int httpStatus() const;
		/// 0 when admitted; 401, 403 or 429 for the refusal.
	std::string reason() const;
		/// The refusal's data.reason ("invalid_token" when it has none).
};

class AuthGateway
{
public:
	explicit AuthGateway(const ServiceRegistry& services);

	void bindServices();
		/// Looks the services up once (after every plugin's load()); cheap
		/// access on the hot path afterwards.

	sdk::Identity authenticate(const std::string& token) const;
		/// Throws RpcError(-32001) when the token is refused or no authenticator is loaded.

	sdk::Identity attempt(const std::string& token, const std::string& remoteAddress, std::uint64_t connectionId,
		bool* closeConnection = nullptr) const;
		/// An authentication attempt from a client, wherever the token came
		/// from (authenticate, a request's auth_token, HTTP Bearer/?token=).
		/// A valid token always succeeds. A refused one is reported to the
		/// RequestGuard, whose verdict delays the answer (at most
		/// MaxFailureDelayMs), turns it into -32002 (reason too_many_failures,
		/// scope address) while the address is over its failure budget, and
		/// sets *closeConnection after repeated failures on one connection.
		/// connectionId 0 means an HTTP request. May block up to the delay:
		/// call it on a worker or HTTP thread.

	AuthDecision decide(const AuthRequest& request) const;
		/// The one authentication and role decision for every way in (a
		/// JSON-RPC call, POST /rpc, a plugin's HTTP route): a presented token
		/// goes through attempt(), else the signed-in identity (refused once
		/// expired), else anonymous when allowed; then the role check.
		/// Callers only translate the refusal into their protocol's shape.

	void admitCall(const sdk::CallContext& ctx) const;
	void connectionClosed(std::uint64_t connectionId) const;

	static constexpr std::int64_t MaxFailureDelayMs = 2000;

private:
	const ServiceRegistry& _services;
	std::shared_ptr<sdk::Authenticator> _authenticator;
	std::shared_ptr<sdk::RequestGuard> _guard;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_AUTHGATEWAY_H
