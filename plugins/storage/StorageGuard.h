//
// StorageGuard.h
//
// Free-space verdicts for a media directory (statvfs), against configurable
// thresholds so tests can drive every verdict without filling a disk:
// storage.guard.warn_percent (10), storage.guard.critical_percent (5),
// storage.guard.reserve_bytes (0: bytes counted as used on top of the disk's
// own numbers).
//

#ifndef CAMSVC_STORAGE_STORAGEGUARD_H
#define CAMSVC_STORAGE_STORAGEGUARD_H

#include "camsvc/sdk/MediaStore.h"
#include <cstdint>
#include <string>

namespace camsvc::storage {

struct GuardConfig
{
	double warnPercent = 10;
	double criticalPercent = 5;
	std::uint64_t reserveBytes = 0;
};

sdk::StorageCheck checkSpace(const std::string& directory, const GuardConfig& config, std::uint64_t expectedBytes = 0);
	/// Thread-safe. A directory statvfs cannot read counts as Full.

const char* verdictName(sdk::StorageVerdict verdict);
	/// "ok", "low", "critical", "full".

} // namespace camsvc::storage

#endif
