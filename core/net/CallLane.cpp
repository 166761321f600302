#include "net/CallLane.h"

namespace camsvc::core {

namespace {
struct RunningBarrier
{
	const CallLane* lane = nullptr;
	std::uint64_t seq = 0;
};
thread_local RunningBarrier runningBarrier; // the barrier task this worker runs, if any
}

CallLane::CallLane(WorkerPool& pool, unsigned maxRunning, std::size_t maxQueued, std::size_t maxQueuedBytes):
	_pool(pool), _maxRunning(maxRunning ? maxRunning : 1), _maxQueued(maxQueued), _maxQueuedBytes(maxQueuedBytes)
{
}

CallLane::Outcome CallLane::submit(Task task, bool nonBlocking, bool barrier, std::size_t bytes)
{
	std::lock_guard lock(_mutex);
	bool waits = !_queue.empty() || _barrier;
	if (nonBlocking && !barrier && !waits)
		return Outcome::RunInline;
	if ((waits || _running >= _maxRunning) && (_queue.size() >= _maxQueued || _queuedBytes + bytes > _maxQueuedBytes))
		return Outcome::Rejected;
	_queue.push_back(Pending{std::move(task), barrier, bytes});
	_queuedBytes += bytes;
	pumpLocked();
	return Outcome::Accepted;
}

bool CallLane::runsInline(bool nonBlocking, bool barrier) const
{
	std::lock_guard lock(_mutex);
	return nonBlocking && !barrier && _queue.empty() && !_barrier;
}

CallLane::Outcome CallLane::submitLast(Task task)
{
	std::lock_guard lock(_mutex);
	if (_queue.empty() && !_barrier && _running == 0)
		return Outcome::RunInline;
	_queue.push_back(Pending{std::move(task), true, 0, true});
	pumpLocked();
	return Outcome::Accepted;
}

void CallLane::releaseBarrier()
{
	if (runningBarrier.lane != this || runningBarrier.seq == 0)
		return;
	std::lock_guard lock(_mutex);
	if (_barrier && _barrierSeq == runningBarrier.seq)
	{
		_barrier = false;
		pumpLocked();
	}
	runningBarrier.seq = 0;
}

std::size_t CallLane::queued() const
{
	std::lock_guard lock(_mutex);
	return _queue.size();
}

void CallLane::pumpLocked()
{
	while (!_queue.empty() && !_barrier && _running < _maxRunning)
	{
		if (_queue.front().exclusive && _running > 0)
			break;
		Pending next = std::move(_queue.front());
		_queue.pop_front();
		_queuedBytes -= next.bytes;
		++_running;
		_barrier = next.barrier; // a barrier holds back everything behind it
		if (next.barrier)
			++_barrierSeq;
		run(std::move(next));
	}
}

void CallLane::run(Pending pending)
{
	std::uint64_t seq = pending.barrier ? _barrierSeq : 0;
	_pool.submit([self = shared_from_this(), task = std::move(pending.task), seq] {
		runningBarrier = {self.get(), seq};
		try
		{
			task();
		}
		catch (...)
		{
			// Tasks answer their own errors; the lane must go on.
		}
		runningBarrier = {};
		std::lock_guard lock(self->_mutex);
		--self->_running;
		if (seq && self->_barrierSeq == seq)
			self->_barrier = false;
		self->pumpLocked();
	});
}

} // namespace camsvc::core
