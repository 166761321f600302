//
// AuthGuard.cpp
//

#include "AuthGuard.h"
#include "AuthErrors.h"
#include <algorithm>
#include <chrono>

namespace camsvc {
namespace auth {

AuthGuard::AuthGuard(const AuthSettings& settings, Clock clock):
	_connectionRate(settings.connectionRate),
	_identityRate(settings.identityRate),
	_failureRate{settings.failuresPerMinute / 60.0, settings.failuresPerMinute},
	_maxFailures(settings.maxFailuresPerConnection),
	_failureDelayMs(settings.failureDelayMs),
	_clock(std::move(clock))
{
}

void AuthGuard::admitCall(const sdk::CallContext& ctx)
{
	std::int64_t now = _clock();
	// Connection id 0 is a one-shot HTTP request (POST /rpc): it has no
	// connection to limit and never gets connectionClosed(), so only the
	// identity bucket applies.
	if (_connectionRate.enabled() && ctx.connectionId != 0)
	{
		std::int64_t wait = _connections.apply(ctx.connectionId, [&](TokenBucket& b) { return b.take(_connectionRate, now); });
		if (wait)
			throw rateLimited(Reason::RateLimited, "connection", wait);
	}
	if (_identityRate.enabled() && ctx.authenticated)
	{
		std::string key = ctx.identity.method + ':' + ctx.identity.userId;
		std::int64_t wait = _identities.apply(key, [&](TokenBucket& b) { return b.take(_identityRate, now); });
		if (wait)
			throw rateLimited(Reason::RateLimited, "identity", wait);
	}
}

sdk::Record<sdk::AuthFailureVerdict> AuthGuard::authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId)
{
	sdk::AuthFailureVerdict verdict;
	if (_failureRate.enabled())
	{
		std::int64_t now = _clock();
		verdict.retryAfterMs = _addresses.apply(clientAddress(remoteAddress), [&](TokenBucket& b) { return b.take(_failureRate, now); });
	}
	int failures = 1; // HTTP requests (connection 0) have no connection to count on
	if (connectionId != 0)
		failures = _failures.apply(connectionId, [](int& count) { return ++count; });
	verdict.closeConnection = connectionId != 0 && failures >= _maxFailures;
	// Over the address's budget the answer is -32002 at once: a delay there
	// would let a flood of failures hold the workers that valid clients need.
	if (!verdict.retryAfterMs)
		verdict.delayMs = _failureDelayMs * std::min(failures, 4);
	return std::make_shared<const sdk::AuthFailureVerdict>(verdict);
}

void AuthGuard::connectionClosed(std::uint64_t connectionId)
{
	_connections.erase(connectionId);
	_failures.erase(connectionId);
}

std::size_t AuthGuard::sweep()
{
	std::int64_t now = _clock();
	std::size_t removed = _identities.eraseIf([&](const std::string&, TokenBucket& b) { return b.full(_identityRate, now); });
	removed += _addresses.eraseIf([&](const std::string&, TokenBucket& b) { return b.full(_failureRate, now); });
	return removed;
}

std::string AuthGuard::clientAddress(const std::string& remoteAddress)
{
	if (!remoteAddress.empty() && remoteAddress.front() == '[')
	{
		auto close = remoteAddress.find(']');
		return close == std::string::npos ? remoteAddress : remoteAddress.substr(1, close - 1);
	}
	auto colon = remoteAddress.rfind(':');
	if (colon == std::string::npos || remoteAddress.find(':') != colon)
		return remoteAddress; // no port, or a bare IPv6 address
	return remoteAddress.substr(0, colon);
}

std::int64_t AuthGuard::steadyNanoseconds()
{
	return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} } // namespace camsvc::auth
