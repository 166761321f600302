//
// ProcessProbe.h
//
// What /proc says about a process the test or benchmark started: resident
// memory and CPU time, for "memory stays flat" checks and CPU figures.
//

#ifndef CAMSVC_TEST_PROCESSPROBE_H
#define CAMSVC_TEST_PROCESSPROBE_H

#include <sys/types.h>

namespace camsvc::test {

long residentKiB(pid_t pid);
	/// Resident memory (/proc/<pid>/statm) in KiB; -1 when unknown.

double cpuSeconds(pid_t pid);
	/// User + system CPU time of /proc/<pid>/stat in seconds; 0 when unknown.

} // namespace camsvc::test

#endif // CAMSVC_TEST_PROCESSPROBE_H
