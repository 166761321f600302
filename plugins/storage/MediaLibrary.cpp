#include "MediaLibrary.h"
#include "MediaNames.h"
#include "MediaProbe.h"
#include <Poco/File.h>
#include <Poco/String.h>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

using camsvc::sdk::MediaKind;
using camsvc::sdk::RpcError;
namespace ErrorCode = camsvc::sdk::ErrorCode;

namespace camsvc::storage {

namespace {

struct FileStat
{
	bool exists = false;
	bool regular = false;
	Poco::Int64 size = 0;
	Poco::Int64 modifiedMs = 0;
};

FileStat statFile(const std::string& path, bool followLinks = false)
{
	FileStat out;
	struct stat st{};
	if ((followLinks ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0)
		return out;
	out.exists = true;
	out.regular = S_ISREG(st.st_mode);
	out.size = st.st_size;
	out.modifiedMs = static_cast<Poco::Int64>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
	return out;
}

std::string realPath(const std::string& path)
{
	char buffer[PATH_MAX];
	return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

Poco::Int64 nowMs()
{
	return Poco::Timestamp().epochMicroseconds() / 1000;
}

std::string cameraFromName(const std::string& name)
{
	auto underscore = name.find('_');
	std::string camera = underscore == std::string::npos ? std::string() : name.substr(0, underscore);
	return validCamera(camera) ? camera : std::string();
}

void applyProbe(MediaRecord& record, const std::string& path, Poco::Logger& logger)
{
	ProbeResult probe = probeMedia(path);
	if (probe.decodable)
	{
		record.status = Status::Complete;
		record.duration = probe.duration;
	}
	else
	{
		record.status = Status::Damaged;
		record.duration = 0;
		logger.warning("recording %s is damaged: %s", record.name, probe.error);
	}
}

MediaRecord recordFor(const sdk::MediaReservation& r, const std::optional<MediaRecord>& existing, const char* status)
	/// The row of a reservation: the catalogued one if any, with the reservation's identity.
{
	MediaRecord record = existing ? *existing : MediaRecord();
	record.kind = r.kind;
	record.name = r.filename;
	record.camera = r.camera;
	record.format = r.format;
	record.status = status;
	return record;
}

std::map<std::string, FileStat> scanDirectory(const std::string& dir, MediaKind kind, bool removeStaleParts, Poco::Logger& logger)
	/// The media files in dir by name; at startup, removes the .part temporaries a crash left.
{
	std::map<std::string, FileStat> onDisk;
	DIR* d = ::opendir(dir.c_str());
	if (!d)
		return onDisk;
	while (struct dirent* entry = ::readdir(d))
	{
		std::string name = entry->d_name;
		if (name == "." || name == "..")
			continue;
		std::string path = dir + "/" + name;
		if (removeStaleParts && name[0] == '.' && name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0)
		{
			::unlink(path.c_str());
			logger.information("removed stale temporary %s", path);
			continue;
		}
		if (!nameProblem(kind, name).empty())
			continue;
		FileStat file = statFile(path);
		if (file.regular)
			onDisk.emplace(std::move(name), file);
	}
	::closedir(d);
	return onDisk;
}

bool refreshRow(MediaRecord& row, const FileStat& file, const std::string& dir, Poco::Logger& logger, ReconcileReport& report)
	/// Brings a row whose file changed (or whose recording crashed) up to date; false when nothing changed.
{
	bool crashed = row.status == Status::Recording;
	if (!crashed && file.size == row.size && file.modifiedMs == row.modified)
		return false;
	row.size = file.size;
	row.modified = file.modifiedMs;
	if (row.kind == MediaKind::Recording)
	{
		applyProbe(row, dir + "/" + row.name, logger);
		if (row.status == Status::Damaged)
			++report.damaged;
		if (!row.endTime && row.status == Status::Complete)
			row.endTime = file.modifiedMs;
	}
	else
		row.status = Status::Complete;
	++(crashed ? report.recovered : report.updated);
	return true;
}

MediaRecord rowForNewFile(MediaKind kind, const std::string& name, const FileStat& file, const std::string& dir, Poco::Logger& logger,
	ReconcileReport& report)
	/// The row for a file the catalog did not know.
{
	MediaRecord row;
	row.kind = kind;
	row.name = name;
	row.camera = cameraFromName(name);
	row.format = extensionOf(name);
	row.created = file.modifiedMs;
	row.modified = file.modifiedMs;
	row.size = file.size;
	if (kind == MediaKind::Recording)
	{
		applyProbe(row, dir + "/" + name, logger);
		if (row.status == Status::Damaged)
			++report.damaged;
		row.endTime = file.modifiedMs;
		row.startTime = file.modifiedMs - static_cast<Poco::Int64>(row.duration * 1000);
	}
	++report.added;
	return row;
}

} // namespace

MediaLibrary::MediaLibrary(Catalog& catalog, LibraryConfig config, Poco::Logger& logger):
	_catalog(catalog), _config(std::move(config)), _logger(logger)
{
	Poco::File(_config.recordingsDir).createDirectories();
	Poco::File(_config.snapshotsDir).createDirectories();
	_realRecordings = realPath(_config.recordingsDir);
	_realSnapshots = realPath(_config.snapshotsDir);
}

std::string MediaLibrary::directory(MediaKind kind) const
{
	return kind == MediaKind::Recording ? _realRecordings : _realSnapshots;
}

sdk::MediaReservation MediaLibrary::makeReservation(MediaKind kind, const std::string& camera, const std::string& name) const
{
	sdk::MediaReservation r;
	r.kind = kind;
	r.camera = camera;
	r.filename = name;
	r.path = directory(kind) + "/" + name;
	r.tempPath = directory(kind) + "/." + name + ".part";
	r.format = extensionOf(name);
	return r;
}

bool MediaLibrary::takenLocked(MediaKind kind, const std::string& name)
{
	if (_reserved.count(key(kind, name)))
		return true;
	if (statFile(directory(kind) + "/" + name).exists || statFile(directory(kind) + "/." + name + ".part").exists)
		return true;
	return _catalog.find(kind, name).has_value();
}

sdk::Record<sdk::MediaReservation> MediaLibrary::reserve(MediaKind kind, const std::string& camera,
	const std::string& extension, const std::string& requestedName)
{
	if (!validCamera(camera))
		throw RpcError::invalidParams("device", "invalid_camera", "Invalid camera name");
	std::lock_guard<std::mutex> lock(_mutex);
	if (!requestedName.empty())
	{
		std::string problem = nameProblem(kind, requestedName);
		if (!problem.empty())
			throw RpcError::invalidParams("filename", problem, "Invalid filename");
		if (takenLocked(kind, requestedName))
			throw RpcError::invalidParams("filename", "file_exists", "A file with this name exists");
		_reserved.insert(key(kind, requestedName));
		return std::make_shared<const sdk::MediaReservation>(makeReservation(kind, camera, requestedName));
	}
	std::string ext = Poco::toLower(extension);
	if (!allowedExtension(kind, ext))
		throw RpcError::invalidParams("format", "extension_not_allowed", "Format not allowed");
	std::string stem = generatedStem(kind, camera, Poco::Timestamp());
	std::string name = stem + "." + ext;
	for (int n = 2; takenLocked(kind, name); ++n)
		name = stem + "_" + std::to_string(n) + "." + ext;
	_reserved.insert(key(kind, name));
	return std::make_shared<const sdk::MediaReservation>(makeReservation(kind, camera, name));
}

void MediaLibrary::registerInProgress(const sdk::MediaReservation& r, const Poco::Timestamp& startTime)
{
	MediaRecord record;
	record.kind = r.kind;
	record.name = r.filename;
	record.camera = r.camera;
	record.format = r.format;
	record.status = Status::Recording;
	record.created = startTime.epochMicroseconds() / 1000;
	record.modified = record.created;
	record.startTime = r.kind == MediaKind::Recording ? record.created : 0;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_writing.insert(key(r.kind, r.filename));
	}
	_catalog.upsert(record);
}

void MediaLibrary::forget(const sdk::MediaReservation& r)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_reserved.erase(key(r.kind, r.filename));
	_writing.erase(key(r.kind, r.filename));
}

void MediaLibrary::complete(const sdk::MediaReservation& r, [[maybe_unused]] std::uint64_t sizeBytes, double durationSeconds, bool renameFromTemp)
{
	if (renameFromTemp)
	{
		if (statFile(r.path).exists)
			throw RpcError::invalidParams("filename", "file_exists", "A file with this name exists");
		// link + unlink never replaces an existing file, unlike rename().
		if (::link(r.tempPath.c_str(), r.path.c_str()) != 0)
		{
			if (errno == ENOENT)
				throw RpcError(ErrorCode::NotFound, "File not found", "temp_file_missing");
			throw RpcError(ErrorCode::InternalError, "Cannot publish file", std::strerror(errno));
		}
		::unlink(r.tempPath.c_str());
	}
	FileStat file = statFile(r.path);
	if (!file.exists)
		throw RpcError(ErrorCode::NotFound, "File not found", "file_not_found");
	auto existing = _catalog.find(r.kind, r.filename);
	MediaRecord record = recordFor(r, existing, Status::Complete);
	record.size = file.size; // the disk wins over the caller's sizeBytes
	record.modified = file.modifiedMs;
	if (!existing)
		record.created = nowMs() - static_cast<Poco::Int64>(durationSeconds * 1000);
	if (r.kind == MediaKind::Recording)
	{
		record.duration = durationSeconds;
		record.endTime = nowMs();
		if (!record.startTime)
			record.startTime = record.endTime - static_cast<Poco::Int64>(durationSeconds * 1000);
	}
	_catalog.upsert(record);
	forget(r);
}

void MediaLibrary::markDamaged(const sdk::MediaReservation& r, const std::string& reason)
{
	FileStat file = statFile(r.path);
	auto existing = _catalog.find(r.kind, r.filename);
	if (file.exists || existing)
	{
		MediaRecord record = recordFor(r, existing, Status::Damaged);
		if (file.exists)
		{
			record.size = file.size;
			record.modified = file.modifiedMs;
		}
		if (!record.created)
			record.created = nowMs();
		_catalog.upsert(record);
	}
	_logger.warning("%s %s marked damaged: %s", std::string(sdk::mediaKindName(r.kind)), r.filename, reason);
	forget(r);
}

void MediaLibrary::release(const sdk::MediaReservation& r)
{
	::unlink(r.tempPath.c_str());
	if (!statFile(r.path).exists)
	{
		auto existing = _catalog.find(r.kind, r.filename);
		if (existing && existing->status == Status::Recording)
			_catalog.remove(r.kind, r.filename);
	}
	forget(r);
}

sdk::Record<sdk::StorageCheck> MediaLibrary::checkRoom(MediaKind kind, std::uint64_t expectedBytes) const
{
	return std::make_shared<const sdk::StorageCheck>(checkSpace(directory(kind), _config.guard, expectedBytes));
}

MediaRecord MediaLibrary::info(MediaKind kind, const std::string& name)
{
	std::string problem = nameProblem(kind, name);
	if (!problem.empty())
		throw RpcError::invalidParams("filename", problem, "Invalid filename");
	auto record = _catalog.find(kind, name);
	if (!record)
		throw RpcError(ErrorCode::NotFound, "File not found", "file_not_found");
	return *record;
}

std::string MediaLibrary::deleteFinished(const MediaRecord& record)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (record.status == Status::Recording || _writing.count(key(record.kind, record.name)))
			return "in_progress";
	}
	std::string path = directory(record.kind) + "/" + record.name;
	if (::unlink(path.c_str()) != 0 && errno != ENOENT)
		return std::strerror(errno);
	_catalog.remove(record.kind, record.name);
	return {};
}

MediaRecord MediaLibrary::remove(MediaKind kind, const std::string& name)
{
	MediaRecord record = info(kind, name);
	std::string problem = deleteFinished(record);
	if (problem == "in_progress")
		throw RpcError(ErrorCode::RecordingInProgress, "File is being written", problem);
	if (!problem.empty())
		throw RpcError(ErrorCode::InternalError, "Cannot delete file", problem);
	return record;
}

bool MediaLibrary::removeFinished(const MediaRecord& record)
{
	std::string problem = deleteFinished(record);
	if (!problem.empty() && problem != "in_progress")
		_logger.error("retention cannot delete %s: %s", record.name, problem);
	return problem.empty();
}

std::string MediaLibrary::resolve(MediaKind kind, const std::string& name) const
{
	if (!nameProblem(kind, name).empty())
		return {};
	std::string dir = directory(kind);
	std::string real = realPath(dir + "/" + name);
	if (real.empty() || real.compare(0, dir.size() + 1, dir + "/") != 0)
		return {};
	return statFile(real).regular ? real : std::string();
}

int MediaLibrary::openForDownload(MediaKind kind, const std::string& name) const
{
	std::string path = resolve(kind, name);
	if (path.empty())
		return -1;
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st{};
	if (fd >= 0 && (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)))
	{
		::close(fd);
		return -1;
	}
	return fd;
}

ReconcileReport MediaLibrary::reconcile(bool atStartup)
{
	ReconcileReport report;
	reconcileKind(MediaKind::Recording, atStartup, report);
	reconcileKind(MediaKind::Snapshot, atStartup, report);
	return report;
}

void MediaLibrary::reconcileKind(MediaKind kind, bool atStartup, ReconcileReport& report)
{
	const std::string dir = directory(kind);
	std::map<std::string, FileStat> onDisk = scanDirectory(dir, kind, atStartup, _logger);
	std::set<Key> writing;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		writing = _writing;
	}
	std::vector<MediaRecord> changed;
	std::vector<std::string> gone;
	for (MediaRecord& row: _catalog.all(kind))
	{
		bool active = writing.count(key(kind, row.name)) > 0;
		auto it = onDisk.find(row.name);
		if (it == onDisk.end())
		{
			if (!active)
				gone.push_back(row.name);
			continue;
		}
		const FileStat file = it->second;
		onDisk.erase(it);
		if (!active && refreshRow(row, file, dir, _logger, report))
			changed.push_back(std::move(row));
	}
	for (const auto& [name, file]: onDisk)
		changed.push_back(rowForNewFile(kind, name, file, dir, _logger, report));
	_catalog.upsertMany(changed);
	_catalog.removeMany(kind, gone);
	report.removed += gone.size();
}

} // namespace camsvc::storage
