//
// TokenBucket.h
//
// A token bucket: refills at RateSettings::requestsPerSecond up to burst and
// starts full. Not thread-safe by itself; ShardedMap guards it. Time is passed
// in (steady-clock nanoseconds) so tests can drive it.
//

#ifndef CAMSVC_AUTH_TOKENBUCKET_H
#define CAMSVC_AUTH_TOKENBUCKET_H

#include "AuthSettings.h"
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace camsvc::auth {

class TokenBucket
{
public:
	std::int64_t take(const RateSettings& rate, std::int64_t nowNs)
		/// Takes one token: returns 0, or (nothing taken) the milliseconds
		/// until one is available (>= 1).
	{
		refill(rate, nowNs);
		if (_tokens >= 1)
		{
			_tokens -= 1;
			return 0;
		}
		return waitMs(rate);
	}

	std::int64_t wait(const RateSettings& rate, std::int64_t nowNs)
		/// 0 if a token is available, else milliseconds until one is. Takes nothing.
	{
		refill(rate, nowNs);
		return _tokens >= 1 ? 0 : waitMs(rate);
	}

	void drain(const RateSettings& rate, std::int64_t nowNs)
		/// Removes one token if there is one (used to count failures).
	{
		refill(rate, nowNs);
		_tokens = std::max(0.0, _tokens - 1);
	}

	bool full(const RateSettings& rate, std::int64_t nowNs)
		/// True when the bucket holds burst tokens again: it can be forgotten.
	{
		refill(rate, nowNs);
		return _tokens >= rate.burst;
	}

private:
	void refill(const RateSettings& rate, std::int64_t nowNs)
	{
		if (_lastNs == Unused)
			_tokens = rate.burst;
		else if (nowNs > _lastNs)
			_tokens = std::min(rate.burst, _tokens + static_cast<double>(nowNs - _lastNs) * 1e-9 * rate.requestsPerSecond);
		_lastNs = std::max(_lastNs, nowNs);
	}

	std::int64_t waitMs(const RateSettings& rate) const
	{
		double ms = std::ceil((1.0 - _tokens) * 1000.0 / rate.requestsPerSecond);
		return std::max<std::int64_t>(1, static_cast<std::int64_t>(ms));
	}

	static constexpr std::int64_t Unused = INT64_MIN;
	double _tokens = 0;
	std::int64_t _lastNs = Unused;
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_TOKENBUCKET_H
