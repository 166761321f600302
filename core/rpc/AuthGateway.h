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

namespace camsvc {
namespace core {

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

	void admitCall(const sdk::CallContext& ctx) const;
	void connectionClosed(std::uint64_t connectionId) const;

	static constexpr std::int64_t MaxFailureDelayMs = 2000;

private:
	const ServiceRegistry& _services;
	std::shared_ptr<sdk::Authenticator> _authenticator;
	std::shared_ptr<sdk::RequestGuard> _guard;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_AUTHGATEWAY_H
