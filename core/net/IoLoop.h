//
// IoLoop.h
//
// One epoll reactor thread serving many connections: the I/O model that
// holds 10,000 idle WebSocket clients with a handful of threads.
//

#ifndef CAMSVC_CORE_IOLOOP_H
#define CAMSVC_CORE_IOLOOP_H

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace camsvc {
namespace core {

class Connection;
class WebSocketServer;

class IoLoop
{
public:
	explicit IoLoop(WebSocketServer& server);
	~IoLoop();

	void start();
	void stop();
		/// Releases every connection still open and joins the thread.

	void adopt(std::shared_ptr<Connection> connection);
		/// Any thread: the loop starts serving the connection.
	void post(std::function<void()> task);
		/// Any thread: runs task on the loop's thread.
	void remove(int fd);
		/// Loop thread: releases the connection.
	std::size_t size() const { return _count.load(std::memory_order_relaxed); }

private:
	void run();
	void runPosted();

	WebSocketServer& _server;
	int _epollFd = -1;
	int _wakeFd = -1;
	std::thread _thread;
	std::atomic<bool> _running{false};
	std::atomic<std::size_t> _count{0};
	std::mutex _postMutex;
	std::vector<std::function<void()>> _posted;
	std::unordered_map<int, std::shared_ptr<Connection>> _connections; // loop thread only
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_IOLOOP_H
