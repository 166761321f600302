//
// WorkQueue.h
//
// Threads working through a queue of jobs: the core's call workers and the
// MQTT plugin's publisher and command threads. push() never blocks; with a
// limit, a full queue refuses the job, so a stalled consumer (a broker that
// is down, a command that takes seconds) never makes a producer wait or the
// queue grow past its limit.
//
// Header-only, like the SDK's PeriodicTask.h: a plugin compiles its own copy
// and nothing of it crosses the plugin boundary.
//

#ifndef CAMSVC_SUPPORT_WORKQUEUE_H
#define CAMSVC_SUPPORT_WORKQUEUE_H

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace camsvc {

class WorkQueue
{
public:
	explicit WorkQueue(std::size_t limit = 0): _limit(limit)
		/// limit: the most jobs that wait (0: no limit).
	{
	}

	~WorkQueue() { stop(); }

	WorkQueue(const WorkQueue&) = delete;
	WorkQueue& operator=(const WorkQueue&) = delete;

	void start(unsigned threads = 1)
		/// Starts the threads (at least one). Once, before or after the first push().
	{
		std::lock_guard lock(_mutex);
		for (unsigned i = 0; i < (threads ? threads : 1); ++i)
			_threads.emplace_back([this] { run(); });
	}

	bool push(std::function<void()> job, bool evenIfFull = false)
		/// Thread-safe. Queues the job; false (job discarded) when limit jobs
		/// wait or after stop(). evenIfFull: queued past the limit, for the few
		/// control jobs a caller must not lose (the caller bounds how many).
	{
		{
			std::lock_guard lock(_mutex);
			if (_stopping || (_limit && _jobs.size() >= _limit && !evenIfFull))
				return false;
			_jobs.push_back(std::move(job));
		}
		_wake.notify_one();
		return true;
	}

	bool waitIdle(int timeoutMs)
		/// True when no job waits or runs within the timeout.
	{
		std::unique_lock lock(_mutex);
		return _idle.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return _jobs.empty() && _running == 0; });
	}

	void stop()
		/// Lets the running jobs finish, drops the waiting ones, joins. Idempotent; never from a job.
	{
		std::vector<std::thread> threads;
		{
			std::lock_guard lock(_mutex);
			_stopping = true;
			_jobs.clear();
			threads.swap(_threads);
		}
		_wake.notify_all();
		for (auto& t: threads)
			if (t.joinable())
				t.join();
	}

private:
	void run()
	{
		std::unique_lock lock(_mutex);
		for (;;)
		{
			_wake.wait(lock, [this] { return _stopping || !_jobs.empty(); });
			if (_stopping)
				return;
			auto job = std::move(_jobs.front());
			_jobs.pop_front();
			++_running;
			lock.unlock();
			try
			{
				job();
			}
			catch (...)
			{
				// Jobs report their own errors; a stray exception must not end the thread.
			}
			lock.lock();
			--_running;
			if (_jobs.empty() && _running == 0)
				_idle.notify_all();
		}
	}

	const std::size_t _limit;
	std::mutex _mutex;
	std::condition_variable _wake;
	std::condition_variable _idle;
	std::deque<std::function<void()>> _jobs;
	std::vector<std::thread> _threads;
	unsigned _running = 0;
	bool _stopping = false;
};

} // namespace camsvc

#endif // CAMSVC_SUPPORT_WORKQUEUE_H
