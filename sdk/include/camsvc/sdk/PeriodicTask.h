//
// PeriodicTask.h
//
// A background thread that runs one function at a fixed interval until it is
// stopped: the stop flag, condition variable and join every maintenance loop
// needs, written once. stop() wakes the thread at once (no waiting out the
// interval) and returns only when the function has finished its last run;
// kick() runs the next pass now instead of at the end of the interval.
// stopThread() is the same stop for a thread that waits for queued work.
//
// Header-only on purpose: a plugin compiles its own copy, so nothing of it
// crosses the ABI boundary between the service and a plugin (no layout, no
// symbol the host must export), and the SDK's ABI rules do not apply to it.
//

#ifndef CAMSVC_SDK_PERIODICTASK_H
#define CAMSVC_SDK_PERIODICTASK_H

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace camsvc {
namespace sdk {

template <class Flag>
void stopThread(std::thread& thread, std::mutex& mutex, std::condition_variable& wake, Flag& stopping)
	/// The end of a hand-made worker thread that waits on wake for work or
	/// stopping: sets stopping under mutex, wakes every waiter, joins (if the
	/// thread was started). Never from the thread itself.
{
	{
		std::lock_guard<std::mutex> lock(mutex);
		stopping = true;
	}
	wake.notify_all();
	if (thread.joinable())
		thread.join();
}

class PeriodicTask
{
public:
	enum class FirstRun
	{
		AfterInterval, ///< the first pass one interval after start()
		Now            ///< the first pass at once
	};

	PeriodicTask() = default;
	PeriodicTask(const PeriodicTask&) = delete;
	PeriodicTask& operator=(const PeriodicTask&) = delete;

	~PeriodicTask() { stop(); }

	void start(std::chrono::milliseconds interval, std::function<void()> pass, FirstRun first = FirstRun::AfterInterval)
		/// Runs pass on a new thread every interval until stop(). pass runs
		/// without any lock held; an exception it lets out ends the process
		/// (std::terminate), so it catches what it can recover from. Calling
		/// start() on a running task stops it first.
	{
		stop();
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_stopping = false;
			_kicked = first == FirstRun::Now;
		}
		_thread = std::thread([this, interval, pass = std::move(pass)] {
			std::unique_lock<std::mutex> lock(_mutex);
			for (;;)
			{
				_wake.wait_for(lock, interval, [this] { return _stopping || _kicked; });
				if (_stopping)
					return;
				_kicked = false;
				lock.unlock();
				pass();
				lock.lock();
			}
		});
	}

	void kick()
		/// The next pass runs now (after the current one, if one is running).
	{
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_kicked = true;
		}
		_wake.notify_all();
	}

	void stop()
		/// Wakes the thread and joins it: no pass runs after stop() returns.
		/// Idempotent; never call it from inside pass.
	{
		stopThread(_thread, _mutex, _wake, _stopping);
	}

	bool running() const { return _thread.joinable(); }

private:
	std::mutex _mutex;
	std::condition_variable _wake;
	bool _stopping = false;
	bool _kicked = false;
	std::thread _thread;
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_PERIODICTASK_H
