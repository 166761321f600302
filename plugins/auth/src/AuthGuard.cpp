//
// AuthGuard.cpp
//

#include "AuthGuard.h"
#include "AuthErrors.h"
#include <chrono>

namespace camsvc {
namespace auth {

AuthGuard::AuthGuard(const AuthSettings& settings, Clock clock):
	_connectionRate(settings.connectionRate),
	_identityRate(settings.identityRate),
	_failureRate{settings.failuresPerMinute / 60.0, settings.failuresPerMinute},
	_maxFailures(settings.maxFailuresPerConnection),
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

void AuthGuard::admitAuthentication(const std::string& remoteAddress)
{
	if (!_failureRate.enabled())
		return;
	std::int64_t now = _clock();
	std::int64_t wait = _addresses.apply(clientAddress(remoteAddress), [&](TokenBucket& b) { return b.wait(_failureRate, now); });
	if (wait)
		throw rateLimited(Reason::TooManyFailures, "address", wait);
}

bool AuthGuard::authenticationFailed(const std::string& remoteAddress, std::uint64_t connectionId)
{
	if (_failureRate.enabled())
	{
		std::int64_t now = _clock();
		_addresses.apply(clientAddress(remoteAddress), [&](TokenBucket& b) { b.drain(_failureRate, now); return 0; });
	}
	int failures = _failures.apply(connectionId, [](int& count) { return ++count; });
	return failures >= _maxFailures;
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
