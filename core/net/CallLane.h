//
// CallLane.h
//
// One connection's share of the worker pool. A connection runs at most
// maxRunning calls on workers at once; the rest wait in its own bounded
// queue (the caller answers -32002 "busy" beyond it), so one connection —
// however many slow calls it sends — cannot hold every worker. A barrier
// call (one that changes the session, e.g. authenticate) runs alone in
// order: calls that arrive after it wait until it has finished, so
// "authenticate, then subscribe" never sees the session unauthenticated.
//

#ifndef CAMSVC_CORE_CALLLANE_H
#define CAMSVC_CORE_CALLLANE_H

#include "net/WorkerPool.h"
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace camsvc::core {

class CallLane: public std::enable_shared_from_this<CallLane>
{
public:
	using Task = std::function<void()>;
	enum class Outcome
	{
		RunInline,  // the caller runs the task now, on its own thread
		Accepted,   // queued or handed to a worker
		Rejected    // the lane's queue is full
	};

	CallLane(WorkerPool& pool, unsigned maxRunning, std::size_t maxQueued, std::size_t maxQueuedBytes);

	Outcome submit(Task task, bool nonBlocking, bool barrier, std::size_t bytes);
		/// Any thread. A nonBlocking task with nothing ahead of it runs
		/// inline (RunInline: the task is not kept; call it yourself).
	bool runsInline(bool nonBlocking, bool barrier) const;
		/// Whether submit() would answer RunInline now; the connection's own
		/// I/O thread may then run the call without submitting it (nothing can
		/// get ahead of it meanwhile: only that thread adds calls).
	Outcome submitLast(Task task);
		/// Any thread: task runs once every call submitted before it has
		/// finished, alone (e.g. the close frame after the replies due).
		/// Never rejected.
	void releaseBarrier();
		/// From inside a running barrier task: its session change is done,
		/// the calls behind it may start (before its reply is sent, so a
		/// client that pipelines behind the reply finds the lane open).
		/// Elsewhere, and when called again, it does nothing.
	std::size_t queued() const;

private:
	struct Pending
	{
		Task task;
		bool barrier;
		std::size_t bytes;
		bool exclusive = false; // starts only when nothing else runs
	};

	void pumpLocked();
	void run(Pending pending);

	WorkerPool& _pool;
	const unsigned _maxRunning;
	const std::size_t _maxQueued;
	const std::size_t _maxQueuedBytes;
	mutable std::mutex _mutex;
	std::deque<Pending> _queue;
	std::size_t _queuedBytes = 0;
	unsigned _running = 0;
	bool _barrier = false;
	std::uint64_t _barrierSeq = 0;     // which barrier holds the lane
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_CALLLANE_H
