#include "StorageGuard.h"
#include <sys/statvfs.h>

namespace camsvc::storage {

sdk::StorageCheck checkSpace(const std::string& directory, const GuardConfig& config, std::uint64_t expectedBytes)
{
	sdk::StorageCheck check;
	struct statvfs fs{};
	if (::statvfs(directory.c_str(), &fs) != 0)
	{
		check.verdict = sdk::StorageVerdict::Full;
		check.freePercent = 0;
		return check;
	}
	check.totalBytes = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
	std::uint64_t available = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
	check.availableBytes = available > config.reserveBytes ? available - config.reserveBytes : 0;
	check.freePercent = check.totalBytes ? 100.0 * static_cast<double>(check.availableBytes) / static_cast<double>(check.totalBytes) : 0;
	if (check.availableBytes == 0 || check.availableBytes < expectedBytes)
		check.verdict = sdk::StorageVerdict::Full;
	else if (check.freePercent < config.criticalPercent)
		check.verdict = sdk::StorageVerdict::Critical;
	else if (check.freePercent < config.warnPercent)
		check.verdict = sdk::StorageVerdict::Low;
	return check;
}

const char* verdictName(sdk::StorageVerdict verdict)
{
	switch (verdict)
	{
	case sdk::StorageVerdict::Ok:       return "ok";
	case sdk::StorageVerdict::Low:      return "low";
	case sdk::StorageVerdict::Critical: return "critical";
	default:                            return "full";
	}
}

} // namespace camsvc::storage
