//
// WorkQueueTest.cpp
//
// support/work/WorkQueue.h: a full queue refuses without blocking, control
// jobs pass the limit, stop() drops what waits, a throwing job does not end
// its thread.
//

#include "WorkQueue.h"
#include "support/Gate.h"
#include "support/WaitUntil.h"
#include <atomic>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

using camsvc::WorkQueue;
using camsvc::test::Gate;

TEST(WorkQueue, AFullQueueRefusesWithoutBlockingAndControlJobsPass)
{
	WorkQueue queue(2);
	queue.start();
	Gate gate;
	std::atomic<int> started{0}, done{0};
	ASSERT_TRUE(queue.push([&] { ++started; gate.wait(); ++done; }));
	ASSERT_TRUE(camsvc::test::waitUntil([&] { return started == 1; }, 2000, 1)) << "the first job runs";
	EXPECT_TRUE(queue.push([&] { ++done; }));
	EXPECT_TRUE(queue.push([&] { ++done; }));
	EXPECT_FALSE(queue.push([&] { ++done; })) << "two wait: the limit";
	EXPECT_TRUE(queue.push([&] { ++done; }, true)) << "a control job is queued past the limit";
	gate.release();
	ASSERT_TRUE(queue.waitIdle(5000));
	EXPECT_EQ(done, 4);
}

TEST(WorkQueue, StopLetsTheRunningJobFinishAndDropsTheWaitingOnes)
{
	WorkQueue queue;
	queue.start();
	Gate gate;
	std::atomic<int> started{0}, done{0};
	queue.push([&] { ++started; gate.wait(); ++done; });
	ASSERT_TRUE(camsvc::test::waitUntil([&] { return started == 1; }, 2000, 1));
	for (int i = 0; i < 10; ++i)
		queue.push([&] { ++done; });
	std::thread stopper([&] { queue.stop(); });
	EXPECT_TRUE(camsvc::test::waitUntil([&] { return !queue.push([] {}); }, 2000, 1)) << "stopping refuses new jobs";
	gate.release();
	stopper.join();
	EXPECT_EQ(done, 1) << "only the job that was running";
	queue.stop(); // idempotent
}

TEST(WorkQueue, AThrowingJobDoesNotEndItsThread)
{
	WorkQueue queue;
	queue.start();
	std::atomic<int> done{0};
	queue.push([] { throw std::runtime_error("job failed"); });
	queue.push([&] { ++done; });
	ASSERT_TRUE(queue.waitIdle(5000));
	EXPECT_EQ(done, 1);
}
