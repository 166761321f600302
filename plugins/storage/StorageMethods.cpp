#include "StorageMethods.h"
#include "MediaNames.h"
#include "camsvc/sdk/Time.h"
#include <Poco/URI.h>
#include <cmath>

using camsvc::sdk::MediaKind;
using camsvc::sdk::MethodSpec;
using camsvc::sdk::ParamSpec;
using camsvc::sdk::ParamType;
using camsvc::sdk::Role;
using camsvc::sdk::RpcError;
using Poco::JSON::Object;

namespace camsvc {
namespace storage {

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
	sdk::StorageCheck check = _library.checkRoom(MediaKind::Recording, 0);
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
	auto add = [&host](MethodSpec spec, std::function<Poco::Dynamic::Var(const Object::Ptr&)> fn) {
		host.registerMethod(spec, [fn](const Object::Ptr& params, const sdk::CallContext&) { return fn(params); });
	};
	for (MediaKind kind: {MediaKind::Recording, MediaKind::Snapshot})
	{
		const std::string noun = kind == MediaKind::Recording ? "recording" : "snapshot";
		MethodSpec listSpec{"list_" + noun + "s", Role::Viewer, "Lists " + noun + " files, newest first", pagingParams(),
			"files[filename,file_size,modified_time,download_url], total, limit, offset"};
		add(listSpec, [this, kind](const Object::Ptr& p) {
			return Poco::Dynamic::Var(list(kind, static_cast<std::size_t>(intParam(p, "limit", 50)),
				static_cast<std::size_t>(intParam(p, "offset", 0))));
		});
		MethodSpec infoSpec{"get_" + noun + "_info", Role::Viewer, "Describes one " + noun + " file", {filenameParam()},
			"filename, file_size, duration, created_time, download_url, ..."};
		add(infoSpec, [this, kind](const Object::Ptr& p) {
			return Poco::Dynamic::Var(info(kind, p->getValue<std::string>("filename")));
		});
		MethodSpec deleteSpec{"delete_" + noun, Role::Admin, "Deletes one " + noun + " file", {filenameParam()},
			"filename, deleted, message"};
		add(deleteSpec, [this, kind](const Object::Ptr& p) {
			return Poco::Dynamic::Var(remove(kind, p->getValue<std::string>("filename")));
		});
	}
	add(MethodSpec{"get_storage_info", Role::Admin, "Disk space and media sizes", {},
			"total_space, used_space, available_space, usage_percentage, recordings_size, snapshots_size, low_space_warning"},
		[this](const Object::Ptr&) { return Poco::Dynamic::Var(storageInfo()); });
	add(MethodSpec{"set_retention_policy", Role::Admin, "Sets and persists the retention policy",
			{ParamSpec("policy_type", ParamType::String, true, "age, size or manual").values({"age", "size", "manual"}),
				ParamSpec("max_age_days", ParamType::Number, false, "Delete files older than this").range(0, 36500),
				ParamSpec("max_size_gb", ParamType::Number, false, "Keep media under this many GB (10^9 bytes)").range(0, 1e6),
				ParamSpec("enabled", ParamType::Boolean, true, "Apply periodically")},
			"policy_type, max_age_days, max_size_gb, enabled"},
		[this](const Object::Ptr& p) { return Poco::Dynamic::Var(setRetention(p)); });
	add(MethodSpec{"cleanup_old_files", Role::Admin, "Applies the retention limits now", {},
			"cleanup_executed, files_deleted, space_freed, message"},
		[this](const Object::Ptr&) { return Poco::Dynamic::Var(cleanup()); });
}

} } // namespace camsvc::storage
