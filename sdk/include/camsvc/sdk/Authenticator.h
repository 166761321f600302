//
// Authenticator.h
//
// The service the core uses to turn a token (authenticate's auth_token, a
// request's auth_token param, an HTTP Bearer token or ?token=) into an
// Identity. Provided by the auth plugin. With no Authenticator loaded, every
// protected call is refused.
//

#ifndef CAMSVC_SDK_AUTHENTICATOR_H
#define CAMSVC_SDK_AUTHENTICATOR_H

#include "camsvc/sdk/Errors.h"
#include "camsvc/sdk/Identity.h"
#include "camsvc/sdk/Method.h"
#include "camsvc/sdk/Records.h"
#include <cstdint>
#include <string>

namespace camsvc {
namespace sdk {

class Authenticator
{
public:
	static constexpr const char* ServiceName = "camsvc.Authenticator/2";

	virtual ~Authenticator() = default;

	virtual Record<Identity> authenticate(const std::string& token) = 0;
		/// Returns the identity (role != None, expiresAt in the future) or throws
		/// RpcError(-32001) with data.reason ("invalid_token", "token_expired",
		/// "revoked", ...). Thread-safe; called for every authenticated HTTP
		/// request and per-request auth_token, so it must be cheap. Must never
		/// log the token.
};

struct AuthFailureVerdict
	/// What the RequestGuard wants done with a refused credential. Valid
	/// credentials are never refused because of failures (others' behind the
	/// same proxy or NAT included): only the failures are throttled and delayed.
{
	bool closeConnection = false;  // this connection failed too often: close it after the answer
	std::int64_t delayMs = 0;      // hold the failure's answer this long (slows guessing)
	std::int64_t retryAfterMs = 0; // > 0: the client address is over its failure budget: answer -32002
};

class RequestGuard
	/// Optional admission control (rate limits, brute-force throttling),
	/// provided by the auth plugin. The core calls it on the request path.
{
public:
	static constexpr const char* ServiceName = "camsvc.RequestGuard/3";

	virtual ~RequestGuard() = default;

	virtual void admitCall(const CallContext& ctx) = 0;
		/// Before every authorized call (not authenticate). ctx.connectionId
		/// is 0 for HTTP requests (POST /rpc): no connection, identity limits only. Throws
		/// RpcError(-32002) with data.retry_after_ms to refuse. Thread-safe, cheap.

	virtual Record<AuthFailureVerdict> authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId) = 0;
		/// After a refused credential (authenticate, a request's own
		/// auth_token, an HTTP Bearer or ?token=; connectionId 0 for HTTP).
		/// remoteAddress is the client's (X-Forwarded-For resolved for
		/// trusted proxies). Thread-safe.

	virtual void connectionClosed(std::uint64_t connectionId) = 0;
		/// Forget per-connection state. Thread-safe.
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_AUTHENTICATOR_H
