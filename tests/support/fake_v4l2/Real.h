//
// Real.h
//
// The C library's own functions, behind the ones libfake_v4l2.so
// interposes (looked up with dlsym(RTLD_NEXT) on first use): the rig's
// own I/O must not come back through its wrappers.
//

#ifndef CAMSVC_FAKEV4L2_REAL_H
#define CAMSVC_FAKEV4L2_REAL_H

#include <cstddef>
#include <poll.h>
#include <sys/types.h>

namespace camsvc::fakev4l2::real {

int open(const char* path, int flags, mode_t mode = 0);
int close(int fd);
ssize_t read(int fd, void* buffer, std::size_t size);
void* mmap(void* address, std::size_t length, int prot, int flags, int fd, off_t offset);
int poll(pollfd* fds, nfds_t count, int timeoutMs);

} // namespace camsvc::fakev4l2::real

#endif // CAMSVC_FAKEV4L2_REAL_H
