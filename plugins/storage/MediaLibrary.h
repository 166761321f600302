//
// MediaLibrary.h
//
// The media files of both kinds: the two directories, the catalog that
// indexes them and the names being written. Implements the MediaStore
// service for capture plugins, and what the methods and downloads need:
// lookup, safe deletion, path resolution and reconciliation with the disk.
//
// Threading: every function is thread-safe. Ownership: the library keeps a
// reference to the catalog and the logger; both must outlive it.
//

#ifndef CAMSVC_STORAGE_MEDIALIBRARY_H
#define CAMSVC_STORAGE_MEDIALIBRARY_H

#include "Catalog.h"
#include "StorageGuard.h"
#include "camsvc/sdk/MediaStore.h"
#include <Poco/Logger.h>
#include <mutex>
#include <set>
#include <utility>

namespace camsvc::storage {

struct LibraryConfig
{
	std::string recordingsDir; // created if missing
	std::string snapshotsDir;
	GuardConfig guard;
};

struct ReconcileReport
{
	std::size_t added = 0;
	std::size_t removed = 0;
	std::size_t updated = 0;
	std::size_t damaged = 0;    // of added/updated: found not decodable
	std::size_t recovered = 0;  // recordings left "recording" by a crash, now complete or damaged
};

class MediaLibrary: public sdk::MediaStore
{
public:
	MediaLibrary(Catalog& catalog, LibraryConfig config, Poco::Logger& logger);

	// sdk::MediaStore
	sdk::Record<sdk::MediaReservation> reserve(sdk::MediaKind kind, const std::string& camera,
		const std::string& extension, const std::string& requestedName) override;
	void registerInProgress(const sdk::MediaReservation& reservation, const Poco::Timestamp& startTime) override;
	void complete(const sdk::MediaReservation& reservation, std::uint64_t sizeBytes,
		double durationSeconds, bool renameFromTemp) override;
	void markDamaged(const sdk::MediaReservation& reservation, const std::string& reason) override;
	void release(const sdk::MediaReservation& reservation) override;
	sdk::Record<sdk::StorageCheck> checkRoom(sdk::MediaKind kind, std::uint64_t expectedBytes) const override;
	std::string directory(sdk::MediaKind kind) const override;

	ReconcileReport reconcile(bool atStartup);
		/// Brings the catalog in line with both directories: files added,
		/// removed or changed by hand; recordings a crash left "recording" are
		/// probed. atStartup: also removes stale ".*.part" temporaries (nothing
		/// writes them before the capture plugins start).

	MediaRecord info(sdk::MediaKind kind, const std::string& name);
		/// The row of a file: -32602 (param "filename") for a bad name, -32010 if unknown.
	MediaRecord remove(sdk::MediaKind kind, const std::string& name);
		/// Deletes the file and its row: -32005 while it is being written,
		/// -32010 if unknown. Returns the removed row.
	bool removeFinished(const MediaRecord& record);
		/// Retention's delete: the file and the row unless being written. True if removed.
	std::string resolve(sdk::MediaKind kind, const std::string& name) const;
		/// The real path of an existing regular file inside the kind's
		/// directory (symlinks resolved), or "" (bad name, missing, outside).
	int openForDownload(sdk::MediaKind kind, const std::string& name) const;
		/// A read-only descriptor (O_CLOEXEC) of the file resolve() finds, or
		/// -1 (bad name, missing, outside, not a regular file). Opened with
		/// O_NOFOLLOW after the path check, so a link swapped in at the
		/// resolved path is not followed, and O_NONBLOCK, so a FIFO swapped in
		/// does not block the caller. The caller owns (closes) it.

	Catalog& catalog() { return _catalog; }
	const GuardConfig& guardConfig() const { return _config.guard; }

private:
	using Key = std::pair<int, std::string>;
	static Key key(sdk::MediaKind kind, const std::string& name) { return {static_cast<int>(kind), name}; }
	bool takenLocked(sdk::MediaKind kind, const std::string& name);
	sdk::MediaReservation makeReservation(sdk::MediaKind kind, const std::string& camera, const std::string& name) const;
	void reconcileKind(sdk::MediaKind kind, bool atStartup, ReconcileReport& report);
	void forget(const sdk::MediaReservation& reservation);
	std::string deleteFinished(const MediaRecord& record);
		/// Deletes file and row unless being written: "" or why not ("in_progress", errno text).

	Catalog& _catalog;
	LibraryConfig _config;
	std::string _realRecordings;
	std::string _realSnapshots;
	Poco::Logger& _logger;
	std::mutex _mutex;          // guards _reserved and _writing
	std::set<Key> _reserved;    // names held by reserve()
	std::set<Key> _writing;     // names registered in progress by this process
};

} // namespace camsvc::storage

#endif
