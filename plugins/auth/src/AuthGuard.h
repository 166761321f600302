//
// AuthGuard.h
//
// The RequestGuard service: token buckets per connection and per identity
// for every authorized call, and brute-force protection for authenticate
// (failures drain a bucket per client IP, so a throttled address gets -32002
// even on new connections; a connection with too many failures is closed).
// State lives in sharded maps: admitCall takes two short shard locks, never a
// global one.
//

#ifndef CAMSVC_AUTH_AUTHGUARD_H
#define CAMSVC_AUTH_AUTHGUARD_H

#include "AuthSettings.h"
#include "ShardedMap.h"
#include "TokenBucket.h"
#include <camsvc/sdk/Authenticator.h>
#include <functional>

namespace camsvc {
namespace auth {

class AuthGuard: public sdk::RequestGuard
{
public:
	using Clock = std::function<std::int64_t()>;
		/// Monotonic nanoseconds.

	explicit AuthGuard(const AuthSettings& settings, Clock clock = steadyNanoseconds);

	void admitCall(const sdk::CallContext& ctx) override;
		/// -32002 (data.scope "connection" or "identity", retry_after_ms) when a
		/// bucket is empty. connectionId 0 (HTTP POST /rpc) has no connection bucket.
	void admitAuthentication(const std::string& remoteAddress) override;
		/// -32002 (data.scope "address") while the client IP has no failure budget left.
	bool authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId) override;
		/// Drains the IP's bucket; true once the connection reached max_failures.
	void connectionClosed(std::uint64_t connectionId) override;

	std::size_t sweep();
		/// Forgets identities and addresses whose buckets are full again (idle);
		/// returns how many. Called periodically by the plugin; thread-safe.

	static std::string clientAddress(const std::string& remoteAddress);
		/// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:5678" -> "::1".

	static std::int64_t steadyNanoseconds();

private:
	RateSettings _connectionRate;
	RateSettings _identityRate;
	RateSettings _failureRate;
	int _maxFailures;
	Clock _clock;
	ShardedMap<std::uint64_t, TokenBucket> _connections;
	ShardedMap<std::string, TokenBucket> _identities;
	ShardedMap<std::string, TokenBucket> _addresses;
	ShardedMap<std::uint64_t, int> _failures;
};

} } // namespace camsvc::auth

#endif // CAMSVC_AUTH_AUTHGUARD_H
