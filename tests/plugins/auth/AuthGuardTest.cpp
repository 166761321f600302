//
// AuthGuardTest.cpp
//
// Rate limits and brute-force throttling, driven by a fake clock.
//

#include "AuthGuard.h"
#include "AuthTestSupport.h"
#include <atomic>
#include <thread>
#include <vector>

using namespace camsvc;
using namespace camsvc::auth;

namespace {

constexpr std::int64_t Ms = 1000000;
constexpr auto RateLimit = sdk::ErrorCode::RateLimitExceeded;

sdk::CallContext call(std::uint64_t connection, const std::string& user = "alice")
{
	sdk::CallContext ctx;
	ctx.method = "ping";
	ctx.connectionId = connection;
	ctx.remoteAddress = "127.0.0.1:40000";
	ctx.authenticated = true;
	ctx.identity.userId = user;
	ctx.identity.role = sdk::Role::Viewer;
	ctx.identity.method = "jwt";
	return ctx;
}

sdk::RpcError refusal(const std::function<void()>& fn)
{
	try
	{
		fn();
	}
	catch (sdk::RpcError& e)
	{
		return e;
	}
	return sdk::RpcError(0, "admitted");
}

sdk::RpcError refusalAfter(AuthGuard& g, int admitted, const sdk::CallContext& ctx)
	/// Expects admitted calls through, then returns the next one's refusal.
{
	for (int i = 0; i < admitted; ++i)
		EXPECT_NO_THROW(g.admitCall(ctx)) << "call " << i;
	return refusal([&] { g.admitCall(ctx); });
}

class AuthGuardTest: public ::testing::Test
{
protected:
	AuthGuardTest()
	{
		settings.connectionRate = {10, 5};  // 10/s, burst 5
		settings.identityRate = {20, 8};
		settings.maxFailuresPerConnection = 3;
		settings.failuresPerMinute = 4;
	}

	AuthGuard guard()
	{
		return AuthGuard(settings, [this] { return now.load(); });
	}

	AuthSettings settings;
	std::atomic<std::int64_t> now{1000 * Ms};
};

} // namespace

TEST_F(AuthGuardTest, ConnectionBucketRefusesAfterBurstAndRefills)
{
	AuthGuard g = guard();
	sdk::RpcError e = refusalAfter(g, 5, call(1));
	ASSERT_EQ(e.code(), RateLimit);
	EXPECT_EQ(e.data()->getValue<std::string>("reason"), "rate_limited");
	EXPECT_EQ(e.data()->getValue<std::string>("scope"), "connection");
	EXPECT_EQ(e.data()->getValue<int>("retry_after_ms"), 100); // 1 token at 10/s
	now += 50 * Ms;
	EXPECT_EQ(refusal([&] { g.admitCall(call(1)); }).data()->getValue<int>("retry_after_ms"), 50);
	now += 50 * Ms;
	EXPECT_NO_THROW(g.admitCall(call(1)));
	EXPECT_NO_THROW(g.admitCall(call(2))); // other connections have their own bucket
}

TEST_F(AuthGuardTest, IdentityBucketIsSharedAcrossConnections)
{
	AuthGuard g = guard();
	for (int i = 0; i < 8; ++i)
		EXPECT_NO_THROW(g.admitCall(call(100 + i))); // 8 connections, 1 call each
	sdk::RpcError e = refusal([&] { g.admitCall(call(200)); });
	ASSERT_EQ(e.code(), RateLimit);
	EXPECT_EQ(e.data()->getValue<std::string>("scope"), "identity");
	EXPECT_EQ(e.data()->getValue<int>("retry_after_ms"), 50);
	EXPECT_NO_THROW(g.admitCall(call(200, "bob")));
	sdk::CallContext key = call(201);
	key.identity.method = "api_key"; // same user id, different credential kind
	EXPECT_NO_THROW(g.admitCall(key));
}

TEST_F(AuthGuardTest, ClosingAConnectionForgetsItsBucket)
{
	AuthGuard g = guard();
	for (int i = 0; i < 5; ++i)
		g.admitCall(call(7, "u" + std::to_string(i)));
	EXPECT_EQ(refusal([&] { g.admitCall(call(7, "x")); }).code(), RateLimit);
	g.connectionClosed(7);
	EXPECT_NO_THROW(g.admitCall(call(7, "y")));
}

TEST_F(AuthGuardTest, HttpRequestsHaveOnlyTheIdentityBucket)
{
	AuthGuard g = guard();
	for (int i = 0; i < 8; ++i)
		EXPECT_NO_THROW(g.admitCall(call(0))); // more than the connection burst of 5
	EXPECT_EQ(refusal([&] { g.admitCall(call(0)); }).data()->getValue<std::string>("scope"), "identity");
}

TEST_F(AuthGuardTest, ZeroRateDisablesLimits)
{
	settings.connectionRate = {0, 0};
	settings.identityRate = {0, 0};
	AuthGuard g = guard();
	int refused = 0;
	for (int i = 0; i < 10000; ++i) // the clock stands still: no bucket could refill
		refused += refusal([&] { g.admitCall(call(1)); }).code() == RateLimit;
	EXPECT_EQ(refused, 0) << "far past both bursts (5 and 8) on one connection and one identity";

	// Zero disables only that bucket: the identity's limit still holds on its own.
	settings.identityRate = {20, 8};
	AuthGuard identityOnly = guard();
	sdk::RpcError e = refusalAfter(identityOnly, 8, call(1));
	EXPECT_EQ(e.code(), RateLimit);
	EXPECT_EQ(e.data()->getValue<std::string>("scope"), "identity");
}

TEST_F(AuthGuardTest, RepeatedFailuresCloseTheConnection)
{
	settings.failuresPerMinute = 100;
	AuthGuard g = guard();
	EXPECT_FALSE(g.authenticationFailed("10.0.0.1:5000", 1)->closeConnection);
	EXPECT_FALSE(g.authenticationFailed("10.0.0.1:5000", 1)->closeConnection);
	EXPECT_FALSE(g.authenticationFailed("10.0.0.1:5001", 2)->closeConnection); // other connection, own count
	EXPECT_TRUE(g.authenticationFailed("10.0.0.1:5000", 1)->closeConnection);
	g.connectionClosed(1);
	EXPECT_FALSE(g.authenticationFailed("10.0.0.1:5000", 1)->closeConnection); // id reused: fresh count
}

TEST_F(AuthGuardTest, FailuresAreDelayedMoreOnEachAttemptOfAConnection)
{
	settings.failuresPerMinute = 100;
	settings.maxFailuresPerConnection = 10;
	settings.failureDelayMs = 100;
	AuthGuard g = guard();
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5000", 1)->delayMs, 100);
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5000", 1)->delayMs, 200);
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5001", 2)->delayMs, 100); // per connection
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5000", 1)->delayMs, 300);
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5000", 1)->delayMs, 400);
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:5000", 1)->delayMs, 400); // capped
	EXPECT_EQ(g.authenticationFailed("10.0.0.1:9", 0)->delayMs, 100);    // HTTP: no connection to count on
	EXPECT_FALSE(g.authenticationFailed("10.0.0.1:9", 0)->closeConnection);
}

TEST_F(AuthGuardTest, FailuresOverTheAddressBudgetAreThrottledNotDelayed)
{
	AuthGuard g = guard(); // 4 failures a minute
	for (int i = 0; i < 4; ++i)
		EXPECT_EQ(g.authenticationFailed("192.168.1.9:" + std::to_string(6000 + i), 50 + i)->retryAfterMs, 0);
	auto throttled = g.authenticationFailed("192.168.1.9:7777", 60); // any port
	EXPECT_EQ(throttled->retryAfterMs, 15000); // 4/min: one every 15 s
	EXPECT_EQ(throttled->delayMs, 0);
	EXPECT_EQ(g.authenticationFailed("192.168.1.10:6000", 61)->retryAfterMs, 0); // another address
	now += 15000 * Ms;
	EXPECT_EQ(g.authenticationFailed("192.168.1.9:7777", 62)->retryAfterMs, 0);
}

TEST_F(AuthGuardTest, SweepForgetsIdleState)
{
	AuthGuard g = guard();
	g.admitCall(call(1, "a"));
	g.admitCall(call(1, "b"));
	g.authenticationFailed("10.1.1.1:1", 9);
	EXPECT_EQ(g.sweep(), 0u); // buckets not full yet
	now += 60000 * Ms;
	EXPECT_EQ(g.sweep(), 3u);
}

TEST_F(AuthGuardTest, ClientAddressDropsThePort)
{
	EXPECT_EQ(AuthGuard::clientAddress("1.2.3.4:5678"), "1.2.3.4");
	EXPECT_EQ(AuthGuard::clientAddress("[::1]:5678"), "::1");
	EXPECT_EQ(AuthGuard::clientAddress("fe80::1"), "fe80::1");
	EXPECT_EQ(AuthGuard::clientAddress("host"), "host");
}

TEST_F(AuthGuardTest, ConcurrentCallsNeverExceedTheBurst)
{
	settings.connectionRate = {0, 0};
	settings.identityRate = {0.001, 500}; // effectively no refill
	AuthGuard g = guard();
	std::atomic<int> admitted{0}, refused{0};
	std::vector<std::thread> threads;
	for (int t = 0; t < 8; ++t)
	{
		threads.emplace_back([&, t]
		{
			for (int i = 0; i < 1000; ++i)
			{
				try
				{
					g.admitCall(call(static_cast<std::uint64_t>(t)));
					++admitted;
				}
				catch (sdk::RpcError&)
				{
					++refused;
				}
			}
		});
	}
	for (auto& t: threads)
		t.join();
	EXPECT_EQ(admitted.load(), 500);
	EXPECT_EQ(refused.load(), 7500);
}
