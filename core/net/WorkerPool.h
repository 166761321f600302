//
// WorkerPool.h
//
// The reactor's call workers: fixed threads that run JSON-RPC calls which may
// block (disk, devices, network), so no I/O thread ever waits on a handler.
// A WorkQueue without a limit: CallLane bounds what each connection queues.
//

#ifndef CAMSVC_CORE_WORKERPOOL_H
#define CAMSVC_CORE_WORKERPOOL_H

#include "WorkQueue.h"

namespace camsvc::core {

class WorkerPool: public WorkQueue
{
public:
	explicit WorkerPool(unsigned threads) { start(threads); }

	void submit(std::function<void()> task) { push(std::move(task)); }
		/// Thread-safe. Tasks submitted after stop() are dropped.
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_WORKERPOOL_H
