#include "StorageMethods.h"
#include "MediaNames.h"
#include "camsvc/sdk/Time.h"
#include <Poco/URI.h>
#include <cmath>

using namespace camsvc::sdk;
using Poco::JSON::Object;

namespace camsvc::storage {

namespace {

std::string timeOf(Poco::Int64 ms)
{
	return sdk::rfc3339(Poco::Timestamp(ms * 1000));
}

double round1(double v)
{
	return std::round(v * 10) / 10;
}

ParamSpec filenameParam()
{
	return ParamSpec("filename", ParamType::String, true, "File name as listed").maxLen(1024);
}

std::vector<ParamSpec> pagingParams()
{
	return {
		ParamSpec("limit", ParamType::Integer, false, "Files per page, 1-1000 (default 50)").range(1, 1000),
		ParamSpec("offset", ParamType::Integer, false, "Files to skip, >= 0 (default 0)").range(0, 1e15)};
}

Poco::Int64 intParam(const Object::Ptr& params, const std::string& name, Poco::Int64 fallback)
{
	return params->has(name) ? params->get(name).convert<Poco::Int64>() : fallback;
}

} // namespace

StorageMethods::StorageMethods(MediaLibrary& library, RetentionStore& retention, Poco::Logger& logger):
	_library(library), _retention(retention), _logger(logger)
{
}

std::string StorageMethods::downloadUrl(MediaKind kind, const std::string& filename)
{
	std::string encoded;
	Poco::URI::encode(filename, "?#[]@!$&'()*+,;=% \"<>\\^`{|}", encoded);
	return std::string(kind == MediaKind::Recording ? "/files/recordings/" : "/files/snapshots/") + encoded;
}

Object::Ptr StorageMethods::list(MediaKind kind, const Object::Ptr& p)
{
	return list(kind, static_cast<std::size_t>(intParam(p, "limit", 50)), static_cast<std::size_t>(intParam(p, "offset", 0)));
}

Object::Ptr StorageMethods::list(MediaKind kind, std::size_t limit, std::size_t offset)
{
	Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
	for (const auto& entry: _library.catalog().page(kind, limit, offset))
	{
		Object::Ptr file = new Object;
		file->set("filename", entry.name);
		file->set("file_size", entry.size);
		file->set("modified_time", timeOf(entry.modified));
		file->set("download_url", downloadUrl(kind, entry.name));
		files->add(file);
	}
	Object::Ptr result = new Object;
	result->set("files", files);
	result->set("total", static_cast<Poco::UInt64>(_library.catalog().count(kind)));
	result->set("limit", static_cast<Poco::UInt64>(limit));
	result->set("offset", static_cast<Poco::UInt64>(offset));
	return result;
}

Object::Ptr StorageMethods::info(MediaKind kind, const std::string& filename)
{
	MediaRecord r = _library.info(kind, filename);
	Object::Ptr result = new Object;
	result->set("filename", r.name);
	result->set("file_size", r.size);
	if (kind == MediaKind::Recording)
		result->set("duration", r.duration);
	result->set("created_time", timeOf(r.created));
	result->set("modified_time", timeOf(r.modified));
	result->set("download_url", downloadUrl(kind, r.name));
	result->set("status", r.status);
	result->set("format", r.format);
	if (!r.camera.empty())
		result->set("camera", r.camera);
	if (kind == MediaKind::Recording && r.startTime)
		result->set("start_time", timeOf(r.startTime));
	if (kind == MediaKind::Recording && r.endTime)
		result->set("end_time", timeOf(r.endTime));
	return result;
}

Object::Ptr StorageMethods::remove(MediaKind kind, const std::string& filename)
{
	MediaRecord r = _library.remove(kind, filename);
	_logger.information("%s %s deleted (%Ld bytes)", std::string(sdk::mediaKindName(kind)), r.name, r.size);
	Object::Ptr result = new Object;
	result->set("filename", r.name);
	result->set("deleted", true);
	result->set("message", std::string(kind == MediaKind::Recording ? "Recording" : "Snapshot") + " deleted");
	return result;
}

Object::Ptr StorageMethods::storageInfo()
{
	sdk::StorageCheck check = *_library.checkRoom(MediaKind::Recording, 0);
	if (_guardListener)
		_guardListener(check);
	std::uint64_t used = check.totalBytes - check.availableBytes;
	Object::Ptr result = new Object;
	result->set("total_space", check.totalBytes);
	result->set("used_space", used);
	result->set("available_space", check.availableBytes);
	result->set("usage_percentage", check.totalBytes ? round1(100.0 * static_cast<double>(used) / static_cast<double>(check.totalBytes)) : 100.0);
	result->set("recordings_size", _library.catalog().totalSize(MediaKind::Recording));
	result->set("snapshots_size", _library.catalog().totalSize(MediaKind::Snapshot));
	result->set("low_space_warning", check.lowSpaceWarning());
	result->set("storage_status", std::string(verdictName(check.verdict)));
	return result;
}

Object::Ptr StorageMethods::setRetention(const Object::Ptr& params)
{
	RetentionPolicy policy = RetentionPolicy::fromJson(params);
	if (policy.type == "age" && policy.maxAgeDays <= 0)
		throw RpcError::invalidParams("max_age_days", "required", "max_age_days > 0 is required for an age policy");
	if (policy.type == "size" && policy.maxSizeGb <= 0)
		throw RpcError::invalidParams("max_size_gb", "required", "max_size_gb > 0 is required for a size policy");
	_retention.set(policy);
	_logger.information("retention policy set: %s, max_age_days %f, max_size_gb %f, %s", policy.type,
		policy.maxAgeDays, policy.maxSizeGb, std::string(policy.enabled ? "enabled" : "disabled"));
	return _retention.get().toJson();
}

RetentionResult StorageMethods::applyPolicy(const RetentionPolicy& policy)
{
	std::lock_guard<std::mutex> lock(_retentionMutex);
	RetentionResult r = applyRetention(_library, policy, Poco::Timestamp().epochMicroseconds() / 1000);
	if (r.filesDeleted)
		_logger.information("retention deleted %z files, %Lu bytes", r.filesDeleted, static_cast<Poco::UInt64>(r.bytesFreed));
	return r;
}

Object::Ptr StorageMethods::cleanup()
{
	RetentionPolicy policy = _retention.get();
	RetentionResult r = applyPolicy(policy);
	Object::Ptr result = new Object;
	result->set("cleanup_executed", true);
	result->set("files_deleted", static_cast<Poco::UInt64>(r.filesDeleted));
	result->set("space_freed", static_cast<Poco::UInt64>(r.bytesFreed));
	std::string message;
	if (policy.maxAgeDays <= 0 && policy.maxSizeGb <= 0)
		message = "No retention limit set; nothing deleted";
	else
		message = "Deleted " + std::to_string(r.filesDeleted) + " files";
	result->set("message", message);
	return result;
}

void StorageMethods::registerWith(sdk::Host& host)
{
	using Var = Poco::Dynamic::Var;
	using sdk::CallContext;
	const std::string listResult = "files[filename,file_size,modified_time,download_url], total, limit, offset";
	const std::string infoResult = "filename, file_size, duration, created_time, download_url, ...";
	host.registerMethod({.name = "list_recordings", .summary = "Lists recording files, newest first", .params = pagingParams(),
		.resultSummary = listResult},
		[this](const Object::Ptr& p, const CallContext&) { return Var(list(MediaKind::Recording, p)); });
	host.registerMethod({.name = "list_snapshots", .summary = "Lists snapshot files, newest first", .params = pagingParams(),
		.resultSummary = listResult},
		[this](const Object::Ptr& p, const CallContext&) { return Var(list(MediaKind::Snapshot, p)); });
	host.registerMethod({.name = "get_recording_info", .summary = "Describes one recording file", .params = {filenameParam()},
		.resultSummary = infoResult},
		[this](const Object::Ptr& p, const CallContext&) { return Var(info(MediaKind::Recording, p->getValue<std::string>("filename"))); });
	host.registerMethod({.name = "get_snapshot_info", .summary = "Describes one snapshot file", .params = {filenameParam()},
		.resultSummary = infoResult},
		[this](const Object::Ptr& p, const CallContext&) { return Var(info(MediaKind::Snapshot, p->getValue<std::string>("filename"))); });
	host.registerMethod({.name = "delete_recording", .minRole = Role::Admin, .summary = "Deletes one recording file",
		.params = {filenameParam()}, .resultSummary = "filename, deleted, message"},
		[this](const Object::Ptr& p, const CallContext&) { return Var(remove(MediaKind::Recording, p->getValue<std::string>("filename"))); });
	host.registerMethod({.name = "delete_snapshot", .minRole = Role::Admin, .summary = "Deletes one snapshot file",
		.params = {filenameParam()}, .resultSummary = "filename, deleted, message"},
		[this](const Object::Ptr& p, const CallContext&) { return Var(remove(MediaKind::Snapshot, p->getValue<std::string>("filename"))); });
	host.registerMethod({.name = "get_storage_info", .minRole = Role::Admin, .summary = "Disk space and media sizes",
		.resultSummary = "total_space, used_space, available_space, usage_percentage, recordings_size, snapshots_size, low_space_warning"},
		[this](const Object::Ptr&, const CallContext&) { return Var(storageInfo()); });
	host.registerMethod({.name = "set_retention_policy", .minRole = Role::Admin, .summary = "Sets and persists the retention policy",
		.params = {ParamSpec("policy_type", ParamType::String, true, "age, size or manual").values({"age", "size", "manual"}),
			ParamSpec("max_age_days", ParamType::Number, false, "Delete files older than this").range(0, 36500),
			ParamSpec("max_size_gb", ParamType::Number, false, "Keep media under this many GB (10^9 bytes)").range(0, 1e6),
			ParamSpec("enabled", ParamType::Boolean, true, "Apply periodically")},
		.resultSummary = "policy_type, max_age_days, max_size_gb, enabled"},
		[this](const Object::Ptr& p, const CallContext&) { return Var(setRetention(p)); });
	host.registerMethod({.name = "cleanup_old_files", .minRole = Role::Admin, .summary = "Applies the retention limits now",
		.resultSummary = "cleanup_executed, files_deleted, space_freed, message"},
		[this](const Object::Ptr&, const CallContext&) { return Var(cleanup()); });
}

} // namespace camsvc::storage
