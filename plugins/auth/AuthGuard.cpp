//
// AuthGuard.cpp
//

#include "AuthGuard.h"
#include "AuthErrors.h"
#include <algorithm>
#include <chrono>

namespace camsvc::auth {

void AuthGuard::Rate::set(const RateSettings& r)
{
	requestsPerSecond.store(r.requestsPerSecond, std::memory_order_relaxed);
	burst.store(r.burst, std::memory_order_relaxed);
}

RateSettings AuthGuard::Rate::get() const
{
	return RateSettings{requestsPerSecond.load(std::memory_order_relaxed), burst.load(std::memory_order_relaxed)};
}

AuthGuard::AuthGuard(const AuthSettings& settings, Clock clock): _clock(std::move(clock))
{
	setLimits(settings);
}

void AuthGuard::setLimits(const AuthSettings& settings)
{
	_connectionRate.set(settings.connectionRate);
	_identityRate.set(settings.identityRate);
	_failureRate.set(RateSettings{settings.failuresPerMinute / 60.0, settings.failuresPerMinute});
	_maxFailures.store(settings.maxFailuresPerConnection, std::memory_order_relaxed);
	_failureDelayMs.store(settings.failureDelayMs, std::memory_order_relaxed);
}

void AuthGuard::admitCall(const sdk::CallContext& ctx)
{
	std::int64_t now = _clock();
	const RateSettings connectionRate = _connectionRate.get(), identityRate = _identityRate.get();
	// Connection id 0 is a one-shot HTTP request (POST /rpc): it has no
	// connection to limit and never gets connectionClosed(), so only the
	// identity bucket applies.
	if (connectionRate.enabled() && ctx.connectionId != 0)
	{
		std::int64_t wait = _connections.apply(ctx.connectionId, [&](TokenBucket& b) { return b.take(connectionRate, now); });
		if (wait)
			throw rateLimited(Reason::RateLimited, "connection", wait);
	}
	if (identityRate.enabled() && ctx.authenticated)
	{
		std::string key = ctx.identity.method + ':' + ctx.identity.userId;
		std::int64_t wait = _identities.apply(key, [&](TokenBucket& b) { return b.take(identityRate, now); });
		if (wait)
			throw rateLimited(Reason::RateLimited, "identity", wait);
	}
}

sdk::Record<sdk::AuthFailureVerdict> AuthGuard::authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId)
{
	sdk::AuthFailureVerdict verdict;
	const RateSettings failureRate = _failureRate.get();
	if (failureRate.enabled())
	{
		std::int64_t now = _clock();
		verdict.retryAfterMs = _addresses.apply(clientAddress(remoteAddress), [&](TokenBucket& b) { return b.take(failureRate, now); });
	}
	int failures = 1; // HTTP requests (connection 0) have no connection to count on
	if (connectionId != 0)
		failures = _failures.apply(connectionId, [](int& count) { return ++count; });
	verdict.closeConnection = connectionId != 0 && failures >= _maxFailures.load(std::memory_order_relaxed);
	// Over the address's budget the answer is -32002 at once: a delay there
	// would let a flood of failures hold the workers that valid clients need.
	if (!verdict.retryAfterMs)
		verdict.delayMs = _failureDelayMs.load(std::memory_order_relaxed) * std::min(failures, 4);
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
	const RateSettings identityRate = _identityRate.get(), failureRate = _failureRate.get();
	std::size_t removed = _identities.eraseIf([&](const std::string&, TokenBucket& b) { return b.full(identityRate, now); });
	removed += _addresses.eraseIf([&](const std::string&, TokenBucket& b) { return b.full(failureRate, now); });
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

} // namespace camsvc::auth
