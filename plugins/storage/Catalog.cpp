#include "Catalog.h"
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Transaction.h>

using namespace Poco::Data::Keywords;
using Poco::Int64;

namespace camsvc::storage {

namespace {

int kindCode(sdk::MediaKind kind)
{
	return kind == sdk::MediaKind::Recording ? 0 : 1;
}

const char* Columns = "kind, name, camera, format, status, created, modified, start_time, end_time, duration, size";

struct Rows
	/// Column vectors a SELECT of Columns extracts into.
{
	std::vector<int> kind;
	std::vector<std::string> name, camera, format, status;
	std::vector<Int64> created, modified, startTime, endTime, size;
	std::vector<double> duration;

	std::vector<MediaRecord> records() const
	{
		std::vector<MediaRecord> out(name.size());
		for (std::size_t i = 0; i < out.size(); ++i)
		{
			MediaRecord& r = out[i];
			r.kind = kind[i] == 0 ? sdk::MediaKind::Recording : sdk::MediaKind::Snapshot;
			r.name = name[i];
			r.camera = camera[i];
			r.format = format[i];
			r.status = status[i];
			r.created = created[i];
			r.modified = modified[i];
			r.startTime = startTime[i];
			r.endTime = endTime[i];
			r.duration = duration[i];
			r.size = size[i];
		}
		return out;
	}
};

#define CAMSVC_INTO_ROWS(rows) into(rows.kind), into(rows.name), into(rows.camera), into(rows.format), \
	into(rows.status), into(rows.created), into(rows.modified), into(rows.startTime), into(rows.endTime), \
	into(rows.duration), into(rows.size)

} // namespace

Catalog::Catalog(const std::string& databasePath)
{
	Poco::Data::SQLite::Connector::registerConnector();
	_session = std::make_unique<Poco::Data::Session>("SQLite", databasePath);
	Poco::Data::Session& s = *_session;
	std::string mode;
	s << "PRAGMA journal_mode=WAL", into(mode), now;
	s << "PRAGMA synchronous=NORMAL", now;
	// Paging deep offsets walks the listing index: keep it in memory.
	s << "PRAGMA cache_size=-65536", now;
	std::vector<Int64> mmap;
	s << "PRAGMA mmap_size=268435456", into(mmap), now;
	s << "CREATE TABLE IF NOT EXISTS media ("
		"kind INTEGER NOT NULL, name TEXT NOT NULL, camera TEXT NOT NULL DEFAULT '', "
		"format TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, created INTEGER NOT NULL, "
		"modified INTEGER NOT NULL, start_time INTEGER NOT NULL DEFAULT 0, end_time INTEGER NOT NULL DEFAULT 0, "
		"duration REAL NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0, "
		"PRIMARY KEY (kind, name)) WITHOUT ROWID", now;
	// Covering (the table's key adds name): OFFSET skips rows inside the index.
	s << "DROP INDEX IF EXISTS media_newest", now;
	s << "CREATE INDEX IF NOT EXISTS media_listing ON media (kind, modified DESC, name DESC, size)", now;
	s << "CREATE INDEX IF NOT EXISTS media_oldest ON media (modified, kind, name)", now;
	s << "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)", now;
}

Catalog::~Catalog() = default;

void Catalog::invalidate(sdk::MediaKind kind)
{
	_counts.erase(kindCode(kind));
	_sizes.erase(kindCode(kind));
}

void Catalog::upsertLocked(const std::vector<MediaRecord>& records)
{
	// One prepared statement bound to these variables, executed per record.
	int kind = 0;
	std::string name, camera, format, status;
	Int64 created = 0, modified = 0, startTime = 0, endTime = 0, size = 0;
	double duration = 0;
	Poco::Data::Statement statement(*_session);
	statement << "INSERT OR REPLACE INTO media (" << Columns << ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		use(kind), use(name), use(camera), use(format), use(status), use(created), use(modified),
		use(startTime), use(endTime), use(duration), use(size);
	for (const auto& r: records)
	{
		kind = kindCode(r.kind);
		name = r.name;
		camera = r.camera;
		format = r.format;
		status = r.status;
		created = r.created;
		modified = r.modified;
		startTime = r.startTime;
		endTime = r.endTime;
		duration = r.duration;
		size = r.size;
		statement.execute();
		invalidate(r.kind);
	}
}

void Catalog::upsert(const MediaRecord& record)
{
	std::lock_guard<std::mutex> lock(_mutex);
	upsertLocked({record});
}

void Catalog::upsertMany(const std::vector<MediaRecord>& records)
{
	if (records.empty())
		return;
	std::lock_guard<std::mutex> lock(_mutex);
	Poco::Data::Transaction transaction(*_session);
	upsertLocked(records);
	transaction.commit();
}

std::optional<MediaRecord> Catalog::find(sdk::MediaKind kind, const std::string& name)
{
	std::lock_guard<std::mutex> lock(_mutex);
	int k = kindCode(kind);
	std::string n = name;
	Rows rows;
	*_session << "SELECT " << Columns << " FROM media WHERE kind = ? AND name = ?",
		CAMSVC_INTO_ROWS(rows), use(k), use(n), now;
	auto records = rows.records();
	if (records.empty())
		return std::nullopt;
	return records.front();
}

bool Catalog::remove(sdk::MediaKind kind, const std::string& name)
{
	std::lock_guard<std::mutex> lock(_mutex);
	int k = kindCode(kind);
	std::string n = name;
	Poco::Data::Statement statement(*_session);
	statement << "DELETE FROM media WHERE kind = ? AND name = ?", use(k), use(n);
	std::size_t removed = statement.execute();
	invalidate(kind);
	return removed > 0;
}

void Catalog::removeMany(sdk::MediaKind kind, const std::vector<std::string>& names)
{
	if (names.empty())
		return;
	std::lock_guard<std::mutex> lock(_mutex);
	Poco::Data::Transaction transaction(*_session);
	int k = kindCode(kind);
	std::string n;
	Poco::Data::Statement statement(*_session);
	statement << "DELETE FROM media WHERE kind = ? AND name = ?", use(k), use(n);
	for (const auto& name: names)
	{
		n = name;
		statement.execute();
	}
	transaction.commit();
	invalidate(kind);
}

std::vector<ListEntry> Catalog::page(sdk::MediaKind kind, std::size_t limit, std::size_t offset)
{
	std::lock_guard<std::mutex> lock(_mutex);
	int k = kindCode(kind);
	Int64 lim = static_cast<Int64>(limit), off = static_cast<Int64>(offset);
	std::vector<std::string> names;
	std::vector<Int64> sizes, modified;
	*_session << "SELECT name, size, modified FROM media WHERE kind = ? "
		"ORDER BY modified DESC, name DESC LIMIT ? OFFSET ?",
		into(names), into(sizes), into(modified), use(k), use(lim), use(off), now;
	std::vector<ListEntry> out(names.size());
	for (std::size_t i = 0; i < out.size(); ++i)
		out[i] = ListEntry{std::move(names[i]), sizes[i], modified[i]};
	return out;
}

Int64 Catalog::cached(std::map<int, Int64>& cache, const char* aggregate, sdk::MediaKind kind)
{
	int k = kindCode(kind);
	auto it = cache.find(k);
	if (it != cache.end())
		return it->second;
	Int64 n = 0;
	*_session << "SELECT " << aggregate << " FROM media WHERE kind = ?", into(n), use(k), now;
	cache[k] = n;
	return n;
}

std::size_t Catalog::count(sdk::MediaKind kind)
{
	std::lock_guard<std::mutex> lock(_mutex);
	return static_cast<std::size_t>(cached(_counts, "COUNT(*)", kind));
}

Int64 Catalog::totalSize(sdk::MediaKind kind)
{
	std::lock_guard<std::mutex> lock(_mutex);
	return cached(_sizes, "COALESCE(SUM(size), 0)", kind);
}

std::vector<MediaRecord> Catalog::all(sdk::MediaKind kind)
{
	std::lock_guard<std::mutex> lock(_mutex);
	int k = kindCode(kind);
	Rows rows;
	*_session << "SELECT " << Columns << " FROM media WHERE kind = ?", CAMSVC_INTO_ROWS(rows), use(k), now;
	return rows.records();
}

std::vector<MediaRecord> Catalog::oldestFinished(std::size_t limit)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::string status = Status::Recording;
	Int64 lim = static_cast<Int64>(limit);
	Rows rows;
	*_session << "SELECT " << Columns << " FROM media WHERE status <> ? ORDER BY modified, kind, name LIMIT ?",
		CAMSVC_INTO_ROWS(rows), use(status), use(lim), now;
	return rows.records();
}

std::string Catalog::setting(const std::string& key, const std::string& fallback)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::string k = key;
	std::vector<std::string> values;
	*_session << "SELECT value FROM settings WHERE key = ?", into(values), use(k), now;
	return values.empty() ? fallback : values.front();
}

void Catalog::setSetting(const std::string& key, const std::string& value)
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::string k = key, v = value;
	*_session << "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", use(k), use(v), now;
}

} // namespace camsvc::storage
