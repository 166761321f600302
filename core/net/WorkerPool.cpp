#include "net/WorkerPool.h"
#include <chrono>

namespace camsvc {
namespace core {

WorkerPool::WorkerPool(unsigned threads)
{
	for (unsigned i = 0; i < (threads ? threads : 1); ++i)
		_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool()
{
	stop();
}

void WorkerPool::submit(std::function<void()> task)
{
	{
		std::lock_guard lock(_mutex);
		if (_stopping)
			return;
		_tasks.push_back(std::move(task));
	}
	_wake.notify_one();
}

bool WorkerPool::waitIdle(int timeoutMs)
{
	std::unique_lock lock(_mutex);
	return _idle.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return _tasks.empty() && _running == 0; });
}

void WorkerPool::stop()
{
	{
		std::lock_guard lock(_mutex);
		if (_stopping && _threads.empty())
			return;
		_stopping = true;
		_tasks.clear();
	}
	_wake.notify_all();
	for (auto& t: _threads)
		if (t.joinable())
			t.join();
	_threads.clear();
}

void WorkerPool::run()
{
	std::unique_lock lock(_mutex);
	for (;;)
	{
		_wake.wait(lock, [this] { return _stopping || !_tasks.empty(); });
		if (_stopping)
			return;
		auto task = std::move(_tasks.front());
		_tasks.pop_front();
		++_running;
		lock.unlock();
		try
		{
			task();
		}
		catch (...)
		{
			// Tasks report their own errors; a stray exception must not kill the worker.
		}
		lock.lock();
		--_running;
		if (_tasks.empty() && _running == 0)
			_idle.notify_all();
	}
}

} } // namespace camsvc::core
