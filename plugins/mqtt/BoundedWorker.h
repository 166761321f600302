//
// BoundedWorker.h
//
// One thread working through a bounded queue of jobs. push() never blocks:
// a full queue refuses the job, so a stalled consumer (a broker that is
// down, a command that takes seconds) can never make a producer wait or the
// queue grow past its limit.
//

#ifndef CAMSVC_MQTT_BOUNDEDWORKER_H
#define CAMSVC_MQTT_BOUNDEDWORKER_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace camsvc {
namespace mqtt {

class BoundedWorker
{
public:
	explicit BoundedWorker(std::size_t limit);
	~BoundedWorker();

	BoundedWorker(const BoundedWorker&) = delete;
	BoundedWorker& operator=(const BoundedWorker&) = delete;

	bool push(std::function<void()> job, bool evenIfFull = false);
		/// Queues the job; false (job discarded) when limit jobs wait or after
		/// stop(). evenIfFull: queued past the limit, for the few control jobs
		/// a caller must not lose (the caller bounds how many).
	void start();
	void stop();
		/// Lets the running job finish, discards the waiting ones, joins. Idempotent.

private:
	void run();

	const std::size_t _limit;
	std::mutex _mutex;
	std::condition_variable _wake;
	std::deque<std::function<void()>> _jobs;
	bool _stopping = false;
	std::thread _thread;
};

} } // namespace camsvc::mqtt

#endif // CAMSVC_MQTT_BOUNDEDWORKER_H
