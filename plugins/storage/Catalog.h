//
// Catalog.h
//
// The SQLite catalog of media files (Poco::Data::SQLite, WAL): one row per
// file, so listing and paging never touch the directories. Rows are keyed by
// (kind, name); an index on (kind, modified DESC, name DESC) serves the
// newest-first pages. Also holds small persistent settings (the retention
// policy). Times are milliseconds since the Unix epoch.
//
// Threading: every function is thread-safe (one connection behind a mutex;
// each call is one short statement or one transaction).
//

#ifndef CAMSVC_STORAGE_CATALOG_H
#define CAMSVC_STORAGE_CATALOG_H

#include "camsvc/sdk/MediaStore.h"
#include <Poco/Data/Session.h>
#include <Poco/Types.h>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace camsvc::storage {

namespace Status {
	constexpr const char* Recording = "recording"; // being written
	constexpr const char* Complete  = "complete";
	constexpr const char* Damaged   = "damaged";
}

struct MediaRecord
{
	sdk::MediaKind kind = sdk::MediaKind::Recording;
	std::string name;
	std::string camera;     // "" when unknown (a file added by hand)
	std::string format;     // extension
	std::string status = Status::Complete;
	Poco::Int64 created = 0;   // ms
	Poco::Int64 modified = 0;  // ms, the file's mtime
	Poco::Int64 startTime = 0; // ms, 0 = unknown (recordings)
	Poco::Int64 endTime = 0;   // ms, 0 = unknown (recordings)
	double duration = 0;       // seconds (recordings)
	Poco::Int64 size = 0;      // bytes
};

struct ListEntry
{
	std::string name;
	Poco::Int64 size = 0;
	Poco::Int64 modified = 0;
};

class Catalog
{
public:
	explicit Catalog(const std::string& databasePath);
		/// Opens (creates) the database, WAL mode, schema. Throws Poco::Exception.
	~Catalog();

	void upsert(const MediaRecord& record);
		/// Inserts or replaces the row of (kind, name).
	void upsertMany(const std::vector<MediaRecord>& records);
		/// upsert() of many rows in one transaction.
	std::optional<MediaRecord> find(sdk::MediaKind kind, const std::string& name);
	bool remove(sdk::MediaKind kind, const std::string& name);
		/// True if a row was removed.
	void removeMany(sdk::MediaKind kind, const std::vector<std::string>& names);

	std::vector<ListEntry> page(sdk::MediaKind kind, std::size_t limit, std::size_t offset);
		/// Newest first (modified DESC, name DESC).
	std::size_t count(sdk::MediaKind kind);
	Poco::Int64 totalSize(sdk::MediaKind kind);
	std::vector<MediaRecord> all(sdk::MediaKind kind);
		/// Every row of a kind (reconcile).
	std::vector<MediaRecord> oldestFinished(std::size_t limit);
		/// Rows of both kinds not being written, oldest modified first (retention).

	std::string setting(const std::string& key, const std::string& fallback);
	void setSetting(const std::string& key, const std::string& value);

private:
	void upsertLocked(const std::vector<MediaRecord>& records);
	void invalidate(sdk::MediaKind kind);
	Poco::Int64 cached(std::map<int, Poco::Int64>& cache, const char* aggregate, sdk::MediaKind kind);
		/// SELECT aggregate over a kind's rows, from cache when it holds it; the caller holds _mutex.

	std::mutex _mutex;
	std::unique_ptr<Poco::Data::Session> _session;
	std::map<int, Poco::Int64> _counts;      // cached COUNT(*) per kind
	std::map<int, Poco::Int64> _sizes;       // cached SUM(size) per kind
};

} // namespace camsvc::storage

#endif
