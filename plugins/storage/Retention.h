//
// Retention.h
//
// The retention policy (set_retention_policy, persisted in the catalog) and
// its application: delete finished files, oldest first, while they are older
// than max_age_days or the media total exceeds max_size_gb (10^9 bytes).
// Files being written are never touched.
//

#ifndef CAMSVC_STORAGE_RETENTION_H
#define CAMSVC_STORAGE_RETENTION_H

#include "MediaLibrary.h"
#include <Poco/JSON/Object.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <cstdint>
#include <mutex>
#include <string>

namespace camsvc::storage {

struct RetentionPolicy
{
	std::string type = "manual"; // age | size | manual
	double maxAgeDays = 0;       // 0: no age limit
	double maxSizeGb = 0;        // 0: no size limit
	bool enabled = false;        // periodic application (never for "manual")

	bool periodic() const { return enabled && type != "manual"; }
	Poco::JSON::Object::Ptr toJson() const;
	static RetentionPolicy fromJson(const Poco::JSON::Object::Ptr& object);
		/// Reads policy_type, max_age_days, max_size_gb, enabled (missing: defaults).
	static RetentionPolicy fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// storage.retention.{policy,max_age_days,max_size_gb,enabled}.
};

struct RetentionResult
{
	std::size_t filesDeleted = 0;
	std::uint64_t bytesFreed = 0;
};

RetentionResult applyRetention(MediaLibrary& library, const RetentionPolicy& policy, Poco::Int64 nowMs);
	/// Thread-safe against the library; run from one thread at a time.

class RetentionStore
	/// The policy in the catalog's settings, with the configuration's as default.
{
public:
	RetentionStore(Catalog& catalog, RetentionPolicy defaults);
	RetentionPolicy get() const;
	void set(const RetentionPolicy& policy);
	void setDefaults(RetentionPolicy defaults);
		/// The configuration's policy changed (a reload); one stored by set_retention_policy still wins.

private:
	Catalog& _catalog;
	mutable std::mutex _mutex;
	RetentionPolicy _defaults;
};

} // namespace camsvc::storage

#endif
