//
// StorageMethods.h
//
// The JSON-RPC methods of the storage plugin (api-contract.md, "Methods"):
// list_recordings, list_snapshots, get_recording_info, get_snapshot_info,
// delete_recording, delete_snapshot, get_storage_info, set_retention_policy,
// cleanup_old_files. Each call builds its result from the catalog; the
// param specs let the core answer -32602 for wrong types and ranges.
//
// Threading: every function is thread-safe (handlers run on the worker pool,
// several at once).
//

#ifndef CAMSVC_STORAGE_STORAGEMETHODS_H
#define CAMSVC_STORAGE_STORAGEMETHODS_H

#include "MediaLibrary.h"
#include "Retention.h"
#include "camsvc/sdk/Host.h"
#include <functional>
#include <mutex>

namespace camsvc::storage {

class StorageMethods
{
public:
	using GuardListener = std::function<void(const sdk::StorageCheck&)>;

	StorageMethods(MediaLibrary& library, RetentionStore& retention, Poco::Logger& logger);

	void registerWith(sdk::Host& host);
		/// load() only.
	void onGuardCheck(GuardListener listener) { _guardListener = std::move(listener); }
		/// Called with every verdict get_storage_info computes (health). Before registerWith().

	Poco::JSON::Object::Ptr list(sdk::MediaKind kind, std::size_t limit, std::size_t offset);
	Poco::JSON::Object::Ptr list(sdk::MediaKind kind, const Poco::JSON::Object::Ptr& pagingParams);
		/// list() with the limit (default 50) and offset (0) of a list_* call.
	Poco::JSON::Object::Ptr info(sdk::MediaKind kind, const std::string& filename);
	Poco::JSON::Object::Ptr remove(sdk::MediaKind kind, const std::string& filename);
	Poco::JSON::Object::Ptr storageInfo();
	Poco::JSON::Object::Ptr setRetention(const Poco::JSON::Object::Ptr& params);
	Poco::JSON::Object::Ptr cleanup();
	RetentionResult applyPolicy(const RetentionPolicy& policy);
		/// Retention serialized with the periodic run.

	static std::string downloadUrl(sdk::MediaKind kind, const std::string& filename);

private:
	MediaLibrary& _library;
	RetentionStore& _retention;
	Poco::Logger& _logger;
	GuardListener _guardListener;
	std::mutex _retentionMutex;
};

} // namespace camsvc::storage

#endif
