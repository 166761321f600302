//
// NetUnitsTest.cpp
//
// The small pieces of the front door: UTF-8 validation, the int64 range
// check in front of the JSON parser, address sets, and a connection's call
// lane (barrier order, share of workers, bounded queue).
//

#include "net/AddressSet.h"
#include "net/CallLane.h"
#include "net/Utf8.h"
#include "rpc/Json.h"
#include "support/Gate.h"
#include "support/WaitUntil.h"
#include <atomic>
#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

using namespace camsvc::core;

TEST(Utf8, ValidAndInvalidSequences)
{
	EXPECT_TRUE(validUtf8(""));
	EXPECT_TRUE(validUtf8("plain ascii"));
	EXPECT_TRUE(validUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")); // é € 😀
	EXPECT_TRUE(validUtf8("\xf4\x8f\xbf\xbf"));                      // U+10FFFF
	EXPECT_FALSE(validUtf8("\xc3\x28"));                             // bad continuation
	EXPECT_FALSE(validUtf8("\xc0\xaf"));                             // overlong '/'
	EXPECT_FALSE(validUtf8("\xe0\x80\xaf"));                         // overlong
	EXPECT_FALSE(validUtf8("\xed\xa0\x80"));                         // surrogate U+D800
	EXPECT_FALSE(validUtf8("\xf4\x90\x80\x80"));                     // above U+10FFFF
	EXPECT_FALSE(validUtf8("\xe2\x82"));                             // truncated
	EXPECT_FALSE(validUtf8("\xff"));
}

TEST(IntegerRange, OnlyLiteralsBeyondInt64AreRefused)
{
	EXPECT_TRUE(integersInRange(R"({"a":9223372036854775807,"b":-9223372036854775808,"c":1.8446744073709552e19})"));
	EXPECT_TRUE(integersInRange(R"({"s":"18446744073709551616","e":"\"99999999999999999999"})"));
	EXPECT_TRUE(integersInRange(R"({"z":000000000000000000000001})"));
	EXPECT_FALSE(integersInRange(R"({"id":9223372036854775808})"));
	EXPECT_FALSE(integersInRange(R"({"id":18446744073709551616})"));
	EXPECT_FALSE(integersInRange(R"([-9223372036854775809])"));
	EXPECT_FALSE(integersInRange(R"({"limit":99999999999999999999999})"));
}

TEST(AddressSet, NetworksAndMappedAddresses)
{
	AddressSet set({"127.0.0.0/8", "::1", "10.1.0.0/16"});
	EXPECT_TRUE(set.contains("127.0.0.1"));
	EXPECT_TRUE(set.contains("127.255.1.2"));
	EXPECT_TRUE(set.contains("::1"));
	EXPECT_TRUE(set.contains("10.1.200.3"));
	EXPECT_TRUE(set.contains("::ffff:10.1.2.3"));
	EXPECT_FALSE(set.contains("10.2.0.1"));
	EXPECT_FALSE(set.contains("192.168.1.1"));
	EXPECT_FALSE(set.contains("not an address"));
	EXPECT_THROW(AddressSet({"10.0.0.0/33"}), Poco::InvalidArgumentException);
	EXPECT_THROW(AddressSet({"example.com"}), Poco::InvalidArgumentException);
}

using camsvc::test::Gate;

TEST(CallLane, ShareQueueAndRejection)
{
	WorkerPool pool(4);
	auto lane = std::make_shared<CallLane>(pool, 2, 3, 1 << 20);
	Gate gate;
	std::atomic<int> running{0}, peak{0}, done{0};
	auto task = [&] {
		int now = ++running;
		int seen = peak.load();
		while (now > seen && !peak.compare_exchange_weak(seen, now))
		{
		}
		gate.wait();
		--running;
		++done;
	};
	int accepted = 0, rejected = 0;
	for (int i = 0; i < 8; ++i)
		(lane->submit(task, false, false, 10) == CallLane::Outcome::Accepted ? accepted : rejected)++;
	EXPECT_EQ(accepted, 5) << "2 running + 3 queued";
	EXPECT_EQ(rejected, 3);
	EXPECT_TRUE(camsvc::test::waitUntil([&] { return running >= 2; }, 2000, 1)) << "both shares have started";
	gate.release();
	ASSERT_TRUE(pool.waitIdle(5000));
	EXPECT_EQ(done, 5);
	EXPECT_EQ(peak, 2) << "never more than the lane's share at once";
}

TEST(CallLane, BarrierHoldsLaterCallsAndInlineCallsBehindIt)
{
	WorkerPool pool(4);
	auto lane = std::make_shared<CallLane>(pool, 4, 16, 1 << 20);
	Gate gate;
	std::mutex orderMutex;
	std::vector<int> order;
	auto note = [&](int n) {
		std::lock_guard lock(orderMutex);
		order.push_back(n);
	};
	EXPECT_EQ(lane->submit([&] { gate.wait(); note(1); }, false, true, 1), CallLane::Outcome::Accepted);
	// Non-blocking calls behind a barrier do not run inline: they wait their turn.
	EXPECT_EQ(lane->submit([&] { note(2); }, true, false, 1), CallLane::Outcome::Accepted);
	EXPECT_EQ(lane->submit([&] { note(3); }, false, false, 1), CallLane::Outcome::Accepted);
	gate.release();
	ASSERT_TRUE(pool.waitIdle(5000));
	ASSERT_EQ(order.size(), 3u);
	EXPECT_EQ(order[0], 1);
	// With nothing ahead, a non-blocking call runs inline.
	EXPECT_EQ(lane->submit([] {}, true, false, 1), CallLane::Outcome::RunInline);
}
