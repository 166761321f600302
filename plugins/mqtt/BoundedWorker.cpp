#include "BoundedWorker.h"
#include "camsvc/sdk/PeriodicTask.h"

namespace camsvc {
namespace mqtt {

BoundedWorker::BoundedWorker(std::size_t limit): _limit(limit)
{
}

BoundedWorker::~BoundedWorker()
{
	stop();
}

bool BoundedWorker::push(std::function<void()> job, bool evenIfFull)
{
	{
		std::lock_guard lock(_mutex);
		if (_stopping || (_jobs.size() >= _limit && !evenIfFull))
			return false;
		_jobs.push_back(std::move(job));
	}
	_wake.notify_one();
	return true;
}

void BoundedWorker::start()
{
	_thread = std::thread([this] { run(); });
}

void BoundedWorker::stop()
{
	{
		std::lock_guard lock(_mutex);
		_jobs.clear(); // what is queued is dropped, not run
	}
	sdk::stopThread(_thread, _mutex, _wake, _stopping);
}

void BoundedWorker::run()
{
	std::unique_lock lock(_mutex);
	for (;;)
	{
		_wake.wait(lock, [this] { return _stopping || !_jobs.empty(); });
		if (_stopping)
			return;
		std::function<void()> job = std::move(_jobs.front());
		_jobs.pop_front();
		lock.unlock();
		job();
		lock.lock();
	}
}

} } // namespace camsvc::mqtt
