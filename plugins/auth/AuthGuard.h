//
// AuthGuard.h
//
// The RequestGuard service: token buckets per connection and per identity
// for every authorized call, and brute-force protection for credentials:
// only failures are throttled (a bucket per client IP: over it, failures are
// answered -32002 even on new connections) and delayed (growing per
// connection); a connection with too many failures is closed. A valid
// credential is never refused because of failures, so clients behind one
// proxy or NAT do not lock each other out.
// State lives in sharded maps: admitCall takes two short shard locks, never a
// global one.
//

#ifndef CAMSVC_AUTH_AUTHGUARD_H
#define CAMSVC_AUTH_AUTHGUARD_H

#include "AuthSettings.h"
#include "ShardedMap.h"
#include "TokenBucket.h"
#include <camsvc/sdk/Authenticator.h>
#include <atomic>
#include <functional>

namespace camsvc::auth {

class AuthGuard: public sdk::RequestGuard
{
public:
	using Clock = std::function<std::int64_t()>;
		/// Monotonic nanoseconds.

	explicit AuthGuard(const AuthSettings& settings, Clock clock = steadyNanoseconds);

	void admitCall(const sdk::CallContext& ctx) override;
		/// -32002 (data.scope "connection" or "identity", retry_after_ms) when a
		/// bucket is empty. connectionId 0 (HTTP POST /rpc) has no connection bucket.
	sdk::Record<sdk::AuthFailureVerdict> authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId) override;
		/// Takes from the IP's failure bucket (retryAfterMs once it is empty);
		/// delayMs = failure_delay_ms x the connection's failures so far (at
		/// most 4), none while the address is over budget; closeConnection
		/// once the connection reached max_failures.
	void connectionClosed(std::uint64_t connectionId) override;

	std::size_t sweep();
		/// Forgets identities and addresses whose buckets are full again (idle);
		/// returns how many. Called periodically by the plugin; thread-safe.

	static std::string clientAddress(const std::string& remoteAddress);
		/// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:5678" -> "::1".

	static std::int64_t steadyNanoseconds();

	void setLimits(const AuthSettings& settings);
		/// New rates, bursts and throttles (a reload), in force for the next
		/// call; buckets keep their tokens (capped at the new burst when taken).

private:
	struct Rate
		/// A RateSettings written by a reload while calls read it.
	{
		std::atomic<double> requestsPerSecond{0};
		std::atomic<double> burst{0};
		void set(const RateSettings& r);
		RateSettings get() const;
	};

	Rate _connectionRate;
	Rate _identityRate;
	Rate _failureRate;
	std::atomic<int> _maxFailures{0};
	std::atomic<std::int64_t> _failureDelayMs{0};
	Clock _clock;
	ShardedMap<std::uint64_t, TokenBucket> _connections;
	ShardedMap<std::string, TokenBucket> _identities;
	ShardedMap<std::string, TokenBucket> _addresses;
	ShardedMap<std::uint64_t, int> _failures;
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_AUTHGUARD_H
