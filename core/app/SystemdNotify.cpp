#include "app/SystemdNotify.h"
#include <Poco/Logger.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace camsvc::core {

SystemdNotify::SystemdNotify()
{
	const char* socket = std::getenv("NOTIFY_SOCKET");
	if (socket && (socket[0] == '/' || socket[0] == '@') && std::strlen(socket) < sizeof(sockaddr_un::sun_path))
	{
		_socket = socket;
		if (_socket[0] == '@')
			_socket[0] = '\0';
	}
	::unsetenv("NOTIFY_SOCKET");
	const char* usec = std::getenv("WATCHDOG_USEC");
	const char* pid = std::getenv("WATCHDOG_PID");
	if (!_socket.empty() && usec && (!pid || std::strtoll(pid, nullptr, 10) == ::getpid()))
		_watchdog = std::chrono::microseconds(std::max(0LL, std::strtoll(usec, nullptr, 10)));
	::unsetenv("WATCHDOG_USEC");
	::unsetenv("WATCHDOG_PID");
}

void SystemdNotify::watchdog()
{
	send("WATCHDOG=1");
}

void SystemdNotify::ready(const std::string& status)
{
	send("READY=1\nMAINPID=" + std::to_string(::getpid()) + "\nSTATUS=" + status);
}

void SystemdNotify::reloading()
{
	timespec now{};
	::clock_gettime(CLOCK_MONOTONIC, &now);
	auto usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
	send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading the configuration");
}

void SystemdNotify::stopping()
{
	send("STOPPING=1\nSTATUS=stopping");
}

bool SystemdNotify::send(const std::string& message) const
{
	if (_socket.empty())
		return false;
	int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	sockaddr_un address{};
	address.sun_family = AF_UNIX;
	std::memcpy(address.sun_path, _socket.data(), _socket.size());
	auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + _socket.size());
	bool sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), length)
		== static_cast<ssize_t>(message.size());
	int error = errno;
	::close(fd);
	if (!sent)
		Poco::Logger::get("core").debug("service manager notification not sent: %s", std::string(std::strerror(error)));
	return sent;
}

} // namespace camsvc::core
