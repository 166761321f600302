//
// Interpose.cpp
//
// libfake_v4l2.so's entry points: the C library functions a V4L2 client
// calls, replaced (LD_PRELOAD) for the nodes under $FAKE_V4L2_DIR and
// passed on untouched for everything else. FFmpeg's video4linux2 input
// (Debian builds it without libv4l2) calls open64/ioctl/mmap64/poll/close;
// libv4l2 and libv4lconvert go through syscall(SYS_openat / SYS_ioctl /
// SYS_mmap / SYS_close / SYS_read), so syscall() is replaced too.
//
// A process with no fake node open pays one relaxed atomic load per call.
//

// open and open64 (mmap and mmap64) are both defined here: no redirection of one to the other.
#undef _FILE_OFFSET_BITS

#include "Real.h"
#include "UvcHandle.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using camsvc::fakev4l2::UvcHandle;

namespace {

template <class F>
F next(const char* name)
{
	return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

#define REAL(name, type) static const auto real_##name = next<type>(#name)

std::mutex tableMutex;
std::unordered_map<int, std::shared_ptr<UvcHandle>>& table()
{
	static auto* handles = new std::unordered_map<int, std::shared_ptr<UvcHandle>>; // never destroyed: used until exit
	return *handles;
}
std::atomic<int> openCount{0};

std::shared_ptr<UvcHandle> lookup(int fd)
{
	if (fd < 0 || openCount.load(std::memory_order_relaxed) == 0)
		return nullptr;
	std::lock_guard lock(tableMutex);
	auto it = table().find(fd);
	return it == table().end() ? nullptr : it->second;
}

bool isNode(const char* path)
	/// <FAKE_V4L2_DIR>/videoN (read at every open: a test may set it late).
{
	const char* dir = std::getenv("FAKE_V4L2_DIR");
	if (!dir || !*dir || !path)
		return false;
	std::size_t n = std::strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		--n;
	if (std::strncmp(path, dir, n) != 0 || path[n] != '/')
		return false;
	const char* name = path + n + 1;
	if (std::strncmp(name, "video", 5) != 0 || !name[5])
		return false;
	for (const char* c = name + 5; *c; ++c)
		if (*c < '0' || *c > '9')
			return false;
	return true;
}

int openNode(const char* path, int flags)
{
	int error = 0;
	auto handle = UvcHandle::open(path, flags, error);
	if (!handle)
	{
		errno = error;
		return -1;
	}
	std::lock_guard lock(tableMutex);
	table()[handle->fd()] = handle;
	openCount.fetch_add(1);
	return handle->fd();
}

int closeNode(int fd)
{
	std::shared_ptr<UvcHandle> handle;
	{
		std::lock_guard lock(tableMutex);
		auto it = table().find(fd);
		if (it != table().end())
		{
			handle = it->second;
			table().erase(it);
			openCount.fetch_sub(1);
		}
	}
	if (handle)
		handle->close();
	return camsvc::fakev4l2::real::close(fd);
}

int result(int rc)
{
	if (rc < 0)
	{
		errno = -rc;
		return -1;
	}
	return rc;
}

int pollNodes(pollfd* fds, nfds_t count, int timeoutMs)
	/// poll() over a set holding fake nodes: the kernel waits on the real
	/// fds and on the nodes' eventfds (readable while a buffer is done), in
	/// slices so that an unplug is seen within 10 ms; the nodes' revents
	/// are the driver's.
{
	if (openCount.load(std::memory_order_relaxed) == 0)
		return camsvc::fakev4l2::real::poll(fds, count, timeoutMs);
	std::vector<std::shared_ptr<UvcHandle>> handles(count);
	bool any = false;
	for (nfds_t i = 0; i < count; ++i)
		any |= static_cast<bool>(handles[i] = lookup(fds[i].fd));
	if (!any)
		return camsvc::fakev4l2::real::poll(fds, count, timeoutMs);
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	std::vector<pollfd> kernel(fds, fds + count);
	for (nfds_t i = 0; i < count; ++i)
		if (handles[i])
			kernel[i].events = POLLIN;
	for (bool first = true;; first = false)
	{
		int slice = first ? 0 : 10;
		if (timeoutMs >= 0)
		{
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
			slice = static_cast<int>(std::max<long long>(0, std::min<long long>(slice, left)));
		}
		int rc = camsvc::fakev4l2::real::poll(kernel.data(), count, slice);
		if (rc < 0)
			return rc;
		int ready = 0;
		for (nfds_t i = 0; i < count; ++i)
		{
			fds[i].revents = handles[i] ? handles[i]->poll(fds[i].events) : kernel[i].revents;
			ready += fds[i].revents != 0;
		}
		if (ready || (timeoutMs >= 0 && std::chrono::steady_clock::now() >= deadline))
			return ready;
	}
}

} // namespace

namespace camsvc::fakev4l2::real {

int open(const char* path, int flags, mode_t mode)
{
	REAL(open, int (*)(const char*, int, ...));
	return real_open(path, flags, mode);
}

int close(int fd)
{
	REAL(close, int (*)(int));
	return real_close(fd);
}

ssize_t read(int fd, void* buffer, std::size_t size)
{
	REAL(read, ssize_t (*)(int, void*, std::size_t));
	return real_read(fd, buffer, size);
}

void* mmap(void* address, std::size_t length, int prot, int flags, int fd, off_t offset)
{
	REAL(mmap, void* (*)(void*, std::size_t, int, int, int, off_t));
	return real_mmap(address, length, prot, flags, fd, offset);
}

int poll(pollfd* fds, nfds_t count, int timeoutMs)
{
	REAL(poll, int (*)(pollfd*, nfds_t, int));
	return real_poll(fds, count, timeoutMs);
}

} // namespace camsvc::fakev4l2::real

extern "C" {

#define MODE_ARG(flags) \
	mode_t mode = 0; \
	if ((flags) & (O_CREAT | O_TMPFILE)) \
	{ \
		va_list ap; \
		va_start(ap, flags); \
		mode = static_cast<mode_t>(va_arg(ap, int)); \
		va_end(ap); \
	}

__attribute__((visibility("default"))) int open(const char* path, int flags, ...)
{
	MODE_ARG(flags);
	if (isNode(path))
		return openNode(path, flags);
	REAL(open, int (*)(const char*, int, ...));
	return real_open(path, flags, mode);
}

__attribute__((visibility("default"))) int open64(const char* path, int flags, ...)
{
	MODE_ARG(flags);
	if (isNode(path))
		return openNode(path, flags);
	REAL(open64, int (*)(const char*, int, ...));
	return real_open64(path, flags, mode);
}

__attribute__((visibility("default"))) int __open_2(const char* path, int flags)
{
	if (isNode(path))
		return openNode(path, flags);
	REAL(__open_2, int (*)(const char*, int));
	return real___open_2(path, flags);
}

__attribute__((visibility("default"))) int __open64_2(const char* path, int flags)
{
	if (isNode(path))
		return openNode(path, flags);
	REAL(__open64_2, int (*)(const char*, int));
	return real___open64_2(path, flags);
}

__attribute__((visibility("default"))) int openat(int dirfd, const char* path, int flags, ...)
{
	MODE_ARG(flags);
	if ((dirfd == AT_FDCWD || path[0] == '/') && isNode(path))
		return openNode(path, flags);
	REAL(openat, int (*)(int, const char*, int, ...));
	return real_openat(dirfd, path, flags, mode);
}

__attribute__((visibility("default"))) int openat64(int dirfd, const char* path, int flags, ...)
{
	MODE_ARG(flags);
	if ((dirfd == AT_FDCWD || path[0] == '/') && isNode(path))
		return openNode(path, flags);
	REAL(openat64, int (*)(int, const char*, int, ...));
	return real_openat64(dirfd, path, flags, mode);
}

__attribute__((visibility("default"))) int close(int fd)
{
	if (lookup(fd))
		return closeNode(fd);
	REAL(close, int (*)(int));
	return real_close(fd);
}

__attribute__((visibility("default"))) int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void* arg = va_arg(ap, void*);
	va_end(ap);
	if (auto handle = lookup(fd))
		return result(handle->ioctl(request, arg));
	REAL(ioctl, int (*)(int, unsigned long, ...));
	return real_ioctl(fd, request, arg);
}

__attribute__((visibility("default"))) ssize_t read(int fd, void* buffer, size_t size)
{
	if (auto handle = lookup(fd))
		return result(handle->read());
	REAL(read, ssize_t (*)(int, void*, size_t));
	return real_read(fd, buffer, size);
}

__attribute__((visibility("default"))) void* mmap(void* address, size_t length, int prot, int flags, int fd, off_t offset)
{
	if (auto handle = lookup(fd))
	{
		int error = 0;
		void* p = handle->mmap(address, length, prot, flags, offset, error);
		if (p == MAP_FAILED)
			errno = error;
		return p;
	}
	REAL(mmap, void* (*)(void*, size_t, int, int, int, off_t));
	return real_mmap(address, length, prot, flags, fd, offset);
}

__attribute__((visibility("default"))) void* mmap64(void* address, size_t length, int prot, int flags, int fd, off64_t offset)
{
	return mmap(address, length, prot, flags, fd, static_cast<off_t>(offset));
}

__attribute__((visibility("default"))) int munmap(void* address, size_t length)
{
	// Buffers are memfd mappings: the kernel unmaps them like any other.
	REAL(munmap, int (*)(void*, size_t));
	return real_munmap(address, length);
}

__attribute__((visibility("default"))) int poll(pollfd* fds, nfds_t count, int timeoutMs)
{
	return pollNodes(fds, count, timeoutMs);
}

__attribute__((visibility("default"))) int select(int nfds, fd_set* readfds, fd_set* writefds, fd_set* exceptfds, timeval* timeout)
{
	bool any = false;
	for (int fd = 0; fd < nfds && !any; ++fd)
		if (((readfds && FD_ISSET(fd, readfds)) || (writefds && FD_ISSET(fd, writefds)) || (exceptfds && FD_ISSET(fd, exceptfds))) && lookup(fd))
			any = true;
	if (!any)
	{
		REAL(select, int (*)(int, fd_set*, fd_set*, fd_set*, timeval*));
		return real_select(nfds, readfds, writefds, exceptfds, timeout);
	}
	// As the kernel does: select is poll with POLLIN/POLLOUT/POLLPRI per set.
	std::vector<pollfd> fds;
	for (int fd = 0; fd < nfds; ++fd)
	{
		short events = static_cast<short>(((readfds && FD_ISSET(fd, readfds)) ? POLLIN : 0) | ((writefds && FD_ISSET(fd, writefds)) ? POLLOUT : 0)
			| ((exceptfds && FD_ISSET(fd, exceptfds)) ? POLLPRI : 0));
		if (events)
			fds.push_back(pollfd{fd, events, 0});
	}
	int timeoutMs = timeout ? static_cast<int>(timeout->tv_sec * 1000 + timeout->tv_usec / 1000) : -1;
	int rc = pollNodes(fds.data(), fds.size(), timeoutMs);
	if (rc < 0)
		return rc;
	if (readfds) FD_ZERO(readfds);
	if (writefds) FD_ZERO(writefds);
	if (exceptfds) FD_ZERO(exceptfds);
	int bits = 0;
	for (const auto& p: fds)
	{
		if (readfds && (p.revents & (POLLIN | POLLERR | POLLHUP)) && (p.events & POLLIN)) FD_SET(p.fd, readfds), ++bits;
		if (writefds && (p.revents & (POLLOUT | POLLERR)) && (p.events & POLLOUT)) FD_SET(p.fd, writefds), ++bits;
		if (exceptfds && (p.revents & POLLPRI)) FD_SET(p.fd, exceptfds), ++bits;
	}
	return bits;
}

__attribute__((visibility("default"))) long syscall(long number, ...)
{
	va_list ap;
	va_start(ap, number);
	long a[6];
	for (long& v: a)
		v = va_arg(ap, long);
	va_end(ap);
	switch (number)
	{
	case SYS_openat:
		if ((static_cast<int>(a[0]) == AT_FDCWD || reinterpret_cast<const char*>(a[1])[0] == '/') && isNode(reinterpret_cast<const char*>(a[1])))
			return openNode(reinterpret_cast<const char*>(a[1]), static_cast<int>(a[2]));
		break;
	case SYS_open:
		if (isNode(reinterpret_cast<const char*>(a[0])))
			return openNode(reinterpret_cast<const char*>(a[0]), static_cast<int>(a[1]));
		break;
	case SYS_close:
		if (lookup(static_cast<int>(a[0])))
			return closeNode(static_cast<int>(a[0]));
		break;
	case SYS_ioctl:
		if (auto handle = lookup(static_cast<int>(a[0])))
			return result(handle->ioctl(static_cast<unsigned long>(a[1]), reinterpret_cast<void*>(a[2])));
		break;
	case SYS_read:
		if (auto handle = lookup(static_cast<int>(a[0])))
			return result(handle->read());
		break;
	case SYS_mmap:
		if (auto handle = lookup(static_cast<int>(a[4])))
		{
			int error = 0;
			void* p = handle->mmap(reinterpret_cast<void*>(a[0]), static_cast<size_t>(a[1]), static_cast<int>(a[2]), static_cast<int>(a[3]), a[5], error);
			if (p == MAP_FAILED)
				errno = error;
			return reinterpret_cast<long>(p);
		}
		break;
	default:
		break;
	}
	REAL(syscall, long (*)(long, ...));
	return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

} // extern "C"
