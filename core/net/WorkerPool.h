//
// WorkerPool.h
//
// Fixed threads that run JSON-RPC calls which may block (disk, devices,
// network), so no I/O thread ever waits on a handler.
//

#ifndef CAMSVC_CORE_WORKERPOOL_H
#define CAMSVC_CORE_WORKERPOOL_H

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace camsvc {
namespace core {

class WorkerPool
{
public:
	explicit WorkerPool(unsigned threads);
	~WorkerPool();

	void submit(std::function<void()> task);
		/// Thread-safe. Tasks submitted after stop() are dropped.
	bool waitIdle(int timeoutMs);
		/// True when no task is queued or running within the timeout.
	void stop();
		/// Joins the threads; queued tasks that have not started are dropped.

private:
	void run();

	std::mutex _mutex;
	std::condition_variable _wake;
	std::condition_variable _idle;
	std::deque<std::function<void()>> _tasks;
	std::vector<std::thread> _threads;
	unsigned _running = 0;
	bool _stopping = false;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_WORKERPOOL_H
