//
// Gate.h
//
// Holds the test's tasks until the test opens it: the way to keep a worker
// busy for exactly as long as a test needs.
//

#ifndef CAMSVC_TEST_GATE_H
#define CAMSVC_TEST_GATE_H

#include <condition_variable>
#include <mutex>

namespace camsvc::test {

struct Gate
{
	std::mutex mutex;
	std::condition_variable cv;
	bool open = false;

	void wait()
		/// Blocks until release(); at once after it.
	{
		std::unique_lock lock(mutex);
		cv.wait(lock, [this] { return open; });
	}

	void release()
	{
		std::lock_guard lock(mutex);
		open = true;
		cv.notify_all();
	}
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_GATE_H
