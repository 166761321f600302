//
// IoLoop.h
//
// One epoll reactor thread serving many connections: the I/O model that
// holds 10,000 idle clients with a handful of threads. Every loop also
// watches the listening socket (EPOLLEXCLUSIVE: one loop wakes per new
// client) and accepts onto itself, so connections spread over the loops.
//

#ifndef CAMSVC_CORE_IOLOOP_H
#define CAMSVC_CORE_IOLOOP_H

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace camsvc::core {

class Connection;
class Reactor;

class IoLoop
{
public:
	explicit IoLoop(Reactor& reactor);
	~IoLoop();

	void start();
	void stop();
		/// Releases every connection still open and joins the thread.

	void watchListener(int listenFd);
		/// Before start(): accept new clients from listenFd on this loop.
	void unwatchListener();
		/// Any thread: no more accepting here.
	void adopt(std::shared_ptr<Connection> connection);
		/// Loop thread: the loop starts serving the connection.
	void post(std::function<void()> task);
		/// Any thread: runs task on the loop's thread.
	void remove(int fd);
		/// Loop thread: releases the connection.
	bool inLoopThread() const { return std::this_thread::get_id() == _threadId.load(std::memory_order_acquire); }
	std::size_t size() const { return _count.load(std::memory_order_relaxed); }
	std::chrono::steady_clock::time_point lastTurn() const
		/// When the loop last finished a turn (at least every 250 ms unless a handler blocks it).
	{
		return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(_lastTurn.load(std::memory_order_relaxed)));
	}
	char* buffer() { return _buffer.data(); }
	std::size_t bufferSize() const { return _buffer.size(); }

private:
	void run();
	void runPosted();
	void checkTimers();

	Reactor& _reactor;
	int _epollFd = -1;
	int _wakeFd = -1;
	int _listenFd = -1;
	std::thread _thread;
	std::atomic<std::thread::id> _threadId{};
	std::atomic<bool> _running{false};
	std::atomic<std::size_t> _count{0};
	std::atomic<std::chrono::steady_clock::rep> _lastTurn{0};
	std::mutex _postMutex;
	std::vector<std::function<void()>> _posted;
	std::vector<char> _buffer; // one read buffer per loop, not per connection
	std::unordered_map<int, std::shared_ptr<Connection>> _connections; // loop thread only
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_IOLOOP_H
