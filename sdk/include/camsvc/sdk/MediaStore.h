//
// MediaStore.h
//
// The media store service, provided by the "storage" plugin: capture plugins
// (snapshots, recording) only produce files; the store names them, catalogues
// them, serves them for download, guards free space and applies retention.
//
//     auto store = host.find<camsvc::sdk::MediaStore>();   // in start()
//     store->checkRoom(MediaKind::Recording)->throwIfRefused(true);
//     auto r = store->reserve(MediaKind::Recording, "camera0", "mp4");   // the store owns the record: pass *r back
//     store->registerInProgress(r);
//     ... write r.path (recordings) or r.tempPath (snapshots) ...
//     store->complete(r, bytes, seconds);            // or markDamaged(r, why)
//
// Threading: every function is thread-safe; none blocks for long (a few
// file-system calls and one SQLite statement), so call them from any thread
// but not while holding a lock the storage plugin might wait for.
// Ownership: results are plain values; the store keeps nothing of the caller.
// Errors: functions throw RpcError (Errors.h) with data.reason, so a method
// handler can let them through to its client unchanged.
//

#ifndef CAMSVC_SDK_MEDIASTORE_H
#define CAMSVC_SDK_MEDIASTORE_H

#include "camsvc/sdk/Errors.h"
#include "camsvc/sdk/Records.h"
#include <Poco/Timestamp.h>
#include <cstdint>
#include <string>

namespace camsvc {
namespace sdk {

enum class MediaKind { Recording, Snapshot };

inline const char* mediaKindName(MediaKind kind)
{
	return kind == MediaKind::Recording ? "recording" : "snapshot";
}

struct MediaReservation
	/// A name held for one file. Valid until complete(), markDamaged() or
	/// release() is called with it.
{
	MediaKind kind = MediaKind::Recording;
	std::string camera;    // e.g. "camera0"
	std::string filename;  // final name, e.g. "camera0_2025-01-15_14-30-00.mp4"
	std::string path;      // absolute final path (inside the media directory)
	std::string tempPath;  // absolute hidden temporary path in the same directory
	                       // (".<filename>.part"): write there and complete(..., true)
	                       // to publish atomically by rename
	std::string format;    // the extension, lower case: "mp4", "mkv", "jpg", ...
};

enum class StorageVerdict
{
	Ok,        // enough room
	Low,       // below storage.guard.warn_percent: go on, warn (-1008)
	Critical,  // below storage.guard.critical_percent: refuse new recordings (-1010)
	Full       // no room at all for what was asked: refuse anything (-32007)
};

struct StorageCheck
	/// The storage guard's answer for one media directory.
{
	StorageVerdict verdict = StorageVerdict::Ok;
	std::uint64_t totalBytes = 0;
	std::uint64_t availableBytes = 0;  // after storage.guard.reserve_bytes
	double freePercent = 100.0;

	bool lowSpaceWarning() const { return verdict != StorageVerdict::Ok; }

	void throwIfRefused(bool newRecording) const
		/// Throws -32007 when Full, -1010 when Critical and newRecording;
		/// otherwise returns (a Low verdict is a warning the caller may report
		/// as -1008 in a result or a notification).
	{
		Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
		data->set("available_bytes", availableBytes);
		data->set("free_percent", freePercent);
		if (verdict == StorageVerdict::Full)
		{
			data->set("reason", "insufficient_storage");
			throw RpcError(ErrorCode::InsufficientStorage, "Insufficient storage space", data);
		}
		if (verdict == StorageVerdict::Critical && newRecording)
		{
			data->set("reason", "storage_critical");
			throw RpcError(ErrorCode::StorageCritical, "Storage space is critical", data);
		}
	}
};

class MediaStore
{
public:
	static constexpr const char* ServiceName = "camsvc.MediaStore/2";

	virtual ~MediaStore() = default;

	virtual Record<MediaReservation> reserve(MediaKind kind, const std::string& camera,
		const std::string& extension, const std::string& requestedName = "") = 0;
		/// Holds a unique file name. With requestedName empty the name is
		/// generated: "<camera>_YYYY-MM-DD_HH-MM-SS.<ext>" (UTC; snapshots add
		/// "-mmm" milliseconds), with "_2", "_3", ... appended if taken. A
		/// requestedName must be a plain name with an allowed extension for the
		/// kind (recordings: mp4, mkv; snapshots: jpg, jpeg, png), no separators,
		/// "..", control characters or leading dot, at most 200 bytes, and not
		/// an existing or reserved file: otherwise -32602 (data.param
		/// "filename"). camera must match [A-Za-z0-9_-]{1,64}, extension an
		/// allowed one, else -32602 ("device"/"format"). Never creates a file.

	virtual void registerInProgress(const MediaReservation& reservation,
		const Poco::Timestamp& startTime = Poco::Timestamp()) = 0;
		/// Catalogues the file with status "recording" (being written): it is
		/// listed, cannot be deleted and retention never touches it. A crash
		/// leaves it so; the next start-up probes it and marks it complete or damaged.

	virtual void complete(const MediaReservation& reservation, std::uint64_t sizeBytes,
		double durationSeconds = 0, bool renameFromTemp = false) = 0;
		/// Marks the file complete. renameFromTemp: renames tempPath to path
		/// first (never over an existing file: -32602 reason "file_exists").
		/// The size and modification time on disk win over sizeBytes when the
		/// file exists. Registers the file if registerInProgress() was skipped.
		/// Throws -32010 if neither the file nor tempPath exists.

	virtual void markDamaged(const MediaReservation& reservation, const std::string& reason) = 0;
		/// Marks the file damaged (kept for inspection; listed; deletable) and
		/// releases the name. Logged once with reason.

	virtual void release(const MediaReservation& reservation) = 0;
		/// Gives up a reservation: removes tempPath if it exists and forgets an
		/// in-progress row whose file does not exist. Safe to call twice.

	virtual Record<StorageCheck> checkRoom(MediaKind kind, std::uint64_t expectedBytes = 0) const = 0;
		/// The storage guard's verdict for the kind's directory: Full when less
		/// than expectedBytes (or nothing) is available, else by the configured
		/// percentages. Cheap (one statvfs).

	virtual std::string directory(MediaKind kind) const = 0;
		/// The absolute media directory of a kind (exists).
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_MEDIASTORE_H
