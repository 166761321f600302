#include "DeviceWatcher.h"
#include "V4l2Device.h"
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace camsvc::cameras {

DeviceWatcher::DeviceWatcher(std::string directory, Callback callback):
	_directory(std::move(directory)), _callback(std::move(callback))
{
}

DeviceWatcher::~DeviceWatcher()
{
	stop();
}

std::vector<std::string> DeviceWatcher::scan() const
{
	std::vector<std::pair<int, std::string>> found;
	std::error_code ec;
	for (const auto& entry: std::filesystem::directory_iterator(_directory, ec))
	{
		int n = videoIndex(entry.path().filename().string());
		if (n >= 0)
			found.emplace_back(n, entry.path().string());
	}
	std::sort(found.begin(), found.end());
	std::vector<std::string> paths;
	for (auto& [n, p]: found)
		paths.push_back(p);
	return paths;
}

void DeviceWatcher::start()
{
	_inotifyFd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	_stopFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (_inotifyFd < 0 || _stopFd < 0)
		throw std::runtime_error("inotify unavailable");
	if (::inotify_add_watch(_inotifyFd, _directory.c_str(), IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MOVED_TO | IN_MOVED_FROM) < 0)
		throw std::runtime_error("cannot watch " + _directory + ": " + std::strerror(errno));
	_thread = std::thread([this] { run(); });
}

void DeviceWatcher::stop()
{
	if (_thread.joinable())
	{
		std::uint64_t one = 1;
		ssize_t n = ::write(_stopFd, &one, sizeof one);
		(void) n;
		_thread.join();
	}
	if (_inotifyFd >= 0) ::close(_inotifyFd);
	if (_stopFd >= 0) ::close(_stopFd);
	_inotifyFd = _stopFd = -1;
}

void DeviceWatcher::run()
{
	alignas(inotify_event) char buffer[4096];
	for (;;)
	{
		pollfd fds[2] = {{_inotifyFd, POLLIN, 0}, {_stopFd, POLLIN, 0}};
		if (::poll(fds, 2, -1) < 0)
			continue;
		if (fds[1].revents & POLLIN)
			return;
		ssize_t n = ::read(_inotifyFd, buffer, sizeof buffer);
		for (ssize_t off = 0; off < n;)
		{
			auto* event = reinterpret_cast<inotify_event*>(buffer + off);
			off += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
			if (event->len == 0 || videoIndex(event->name) < 0)
				continue;
			bool present = (event->mask & (IN_CREATE | IN_ATTRIB | IN_MOVED_TO)) != 0;
			_callback(_directory + "/" + event->name, present);
		}
	}
}

} // namespace camsvc::cameras
