#include "net/IoLoop.h"
#include "net/Connection.h"
#include "net/Reactor.h"
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace camsvc::core {

namespace {
constexpr int MaxEvents = 256;
constexpr std::size_t BufferSize = 64 * 1024;
}

IoLoop::IoLoop(Reactor& reactor): _reactor(reactor), _buffer(BufferSize)
{
	_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
	_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (_epollFd < 0 || _wakeFd < 0)
	{
		if (_epollFd >= 0)
			::close(_epollFd);
		if (_wakeFd >= 0)
			::close(_wakeFd);
		throw std::runtime_error("cannot create epoll/eventfd");
	}
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

void IoLoop::watchListener(int listenFd)
{
	_listenFd = listenFd;
	epoll_event ev{};
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = listenFd;
	if (::epoll_ctl(_epollFd, EPOLL_CTL_ADD, listenFd, &ev) != 0)
		throw std::runtime_error("cannot watch the listening socket");
}

void IoLoop::unwatchListener()
{
	post([this] {
		if (_listenFd >= 0)
			::epoll_ctl(_epollFd, EPOLL_CTL_DEL, _listenFd, nullptr);
		_listenFd = -1;
	});
}

void IoLoop::start()
{
	_running = true;
	_thread = std::thread([this] {
		_threadId.store(std::this_thread::get_id(), std::memory_order_release);
		run();
	});
}

void IoLoop::stop()
{
	if (!_thread.joinable())
		return;
	post([this] { _running = false; });
	_thread.join();
	_threadId.store(std::thread::id(), std::memory_order_release);
	for (auto& [fd, connection]: _connections)
	{
		connection->release();
		_reactor.released(*connection);
	}
	_connections.clear();
	_count = 0;
}

void IoLoop::adopt(std::shared_ptr<Connection> connection)
{
	connection->start(_epollFd);
	_connections[connection->fd()] = std::move(connection);
	_count = _connections.size();
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
	_reactor.released(*connection);
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

void IoLoop::checkTimers()
{
	auto now = Connection::Clock::now();
	std::vector<std::shared_ptr<Connection>> all;
	all.reserve(_connections.size());
	for (auto& [fd, c]: _connections)
		all.push_back(c);
	for (auto& c: all)
		c->checkTimers(now);
}

void IoLoop::run()
{
	epoll_event events[MaxEvents];
	auto nextTimerCheck = Connection::Clock::now();
	_lastTurn.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
	while (_running)
	{
		int n = ::epoll_wait(_epollFd, events, MaxEvents, 250);
		for (int i = 0; i < n; ++i)
		{
			int fd = events[i].data.fd;
			if (fd == _wakeFd)
			{
				runPosted();
				continue;
			}
			if (fd == _listenFd)
			{
				_reactor.acceptOn(*this, _listenFd);
				continue;
			}
			auto it = _connections.find(fd);
			if (it == _connections.end())
				continue;
			auto connection = it->second; // keeps it alive if it removes itself
			connection->handleEvents(events[i].events, _buffer.data(), _buffer.size());
		}
		auto now = Connection::Clock::now();
		_lastTurn.store(now.time_since_epoch().count(), std::memory_order_relaxed); // a turn done: the watchdog's sign of life
		if (now >= nextTimerCheck)
		{
			nextTimerCheck = now + std::chrono::milliseconds(500);
			checkTimers();
		}
	}
}

} // namespace camsvc::core
