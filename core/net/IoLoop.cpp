#include "net/IoLoop.h"
#include "net/Connection.h"
#include "net/WebSocketServer.h"
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace camsvc {
namespace core {

IoLoop::IoLoop(WebSocketServer& server): _server(server)
{
	_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
	_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (_epollFd < 0 || _wakeFd < 0)
		throw std::runtime_error("cannot create epoll/eventfd");
	epoll_event ev{};
	ev.events = EPOLLIN;
	ev.data.fd = _wakeFd;
	::epoll_ctl(_epollFd, EPOLL_CTL_ADD, _wakeFd, &ev);
}

IoLoop::~IoLoop()
{
	stop();
	::close(_wakeFd);
	::close(_epollFd);
}

void IoLoop::start()
{
	_running = true;
	_thread = std::thread([this] { run(); });
}

void IoLoop::stop()
{
	if (!_thread.joinable())
		return;
	post([this] { _running = false; });
	_thread.join();
	for (auto& [fd, connection]: _connections)
	{
		connection->release();
		_server.connectionClosed(*connection);
	}
	_connections.clear();
	_count = 0;
}

void IoLoop::adopt(std::shared_ptr<Connection> connection)
{
	post([this, connection] {
		connection->registerWithLoop(_epollFd);
		_connections[connection->fd()] = connection;
		_count = _connections.size();
	});
}

void IoLoop::post(std::function<void()> task)
{
	{
		std::lock_guard lock(_postMutex);
		_posted.push_back(std::move(task));
	}
	std::uint64_t one = 1;
	ssize_t n = ::write(_wakeFd, &one, sizeof one);
	(void) n;
}

void IoLoop::remove(int fd)
{
	auto it = _connections.find(fd);
	if (it == _connections.end())
		return;
	auto connection = it->second;
	_connections.erase(it);
	_count = _connections.size();
	connection->release();
	_server.connectionClosed(*connection);
}

void IoLoop::runPosted()
{
	std::uint64_t value;
	while (::read(_wakeFd, &value, sizeof value) > 0)
	{
	}
	std::vector<std::function<void()>> tasks;
	{
		std::lock_guard lock(_postMutex);
		tasks.swap(_posted);
	}
	for (auto& task: tasks)
		task();
}

void IoLoop::run()
{
	constexpr int MaxEvents = 256;
	constexpr std::size_t BufferSize = 64 * 1024;
	std::vector<char> buffer(BufferSize); // one read buffer per loop, not per connection
	epoll_event events[MaxEvents];
	auto nextTimerCheck = Connection::Clock::now();
	while (_running)
	{
		int n = ::epoll_wait(_epollFd, events, MaxEvents, 500);
		for (int i = 0; i < n; ++i)
		{
			int fd = events[i].data.fd;
			if (fd == _wakeFd)
			{
				runPosted();
				continue;
			}
			auto it = _connections.find(fd);
			if (it == _connections.end())
				continue;
			auto connection = it->second; // keeps it alive if it removes itself
			connection->handleEvents(events[i].events, buffer.data(), buffer.size());
		}
		auto now = Connection::Clock::now();
		if (now >= nextTimerCheck)
		{
			nextTimerCheck = now + std::chrono::seconds(1);
			std::vector<std::shared_ptr<Connection>> all;
			all.reserve(_connections.size());
			for (auto& [fd, c]: _connections)
				all.push_back(c);
			for (auto& c: all)
				c->checkTimers(now);
		}
	}
}

} } // namespace camsvc::core
