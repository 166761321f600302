//
// SnapshotsPlugin.cpp
//
// take_snapshot and the snapshot_taken event; the work is in SnapshotTaker.
//

#include "SnapshotTaker.h"
#include "FfmpegPlugin.h"
#include "camsvc/sdk/Plugin.h"

namespace camsvc::snapshots {

using namespace camsvc::sdk;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

class SnapshotsPlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("snapshots.frame_timeout_ms", ConfigType::Integer, "3000", "Longest wait for a frame when the pipeline is idle").range(100, 60000));
		schema.declare(ConfigKey("snapshots.jpeg_quality", ConfigType::Integer, "90", "JPEG quality when the call gives none").range(1, 100));
		schema.declare(ConfigKey("snapshots.png_compression", ConfigType::Integer, "3", "PNG zlib level").range(0, 9));
	}

	void load(Host& host) override
	{
		_host = &host;
		_settings = SnapshotSettings::fromConfig(host.config());
		host.declareNotification("snapshot_taken", "A snapshot was taken and stored");
		_taken = &host.counter("snapshots_taken_total", "Snapshots taken");
		_failed = &host.counter("snapshots_failed_total", "take_snapshot calls that failed after validation");

		host.declareFeature("snapshots", {"jpg", "png"});
		host.registerMethod({.name = "take_snapshot", .minRole = Role::Operator,
			.summary = "Capture a camera's current frame as a JPEG or PNG file",
			.params = {deviceParam(),
				ParamSpec("filename", ParamType::String, false, "Plain file name with a .jpg/.jpeg/.png extension; default generated").maxLen(4096),
				ParamSpec("format", ParamType::String, false, "jpg (default) or png").values({"jpg", "jpeg", "png"}),
				ParamSpec("quality", ParamType::Integer, false, "JPEG quality 1-100 (default snapshots.jpeg_quality)").range(1, 100)},
			.resultSummary = "device, filename, status, timestamp, file_size, file_path"},
			[this](const Object::Ptr& p, const CallContext&) {
			if (!_taker)
				throw RpcError(ErrorCode::InternalError, "Snapshots are not available", "not_started");
			SnapshotRequest request;
			request.device = p->getValue<std::string>("device");
			if (p->has("filename"))
			{
				request.filename = p->getValue<std::string>("filename");
				if (request.filename.empty())
					throw RpcError::invalidParams("filename", "empty", "filename must not be empty (omit it for a generated name)");
			}
			if (p->has("format"))
				request.format = p->getValue<std::string>("format");
			if (p->has("quality"))
				request.quality = p->getValue<int>("quality");
			Object::Ptr result;
			try
			{
				result = _taker->take(request);
			}
			catch (const RpcError& e)
			{
				if (e.code() != ErrorCode::InvalidParams)
					_failed->inc();
				throw;
			}
			_taken->inc();
			Object::Ptr event = new Object(*result);
			_host->publish("snapshot_taken", event);
			return Var(result);
		});
	}

	void start() override
	{
		auto cameras = _host->find<CameraService>();
		auto store = _host->find<MediaStore>();
		if (!cameras || !store)
			throw std::runtime_error("the snapshots plugin needs the cameras and storage services");
		_taker = std::make_shared<SnapshotTaker>(cameras, store, _settings);
	}

private:
	Host* _host = nullptr;
	SnapshotSettings _settings;
	std::shared_ptr<SnapshotTaker> _taker;
	Counter* _taken = nullptr;
	Counter* _failed = nullptr;
};

} // namespace camsvc::snapshots

CAMSVC_PLUGIN(camsvc::snapshots::SnapshotsPlugin, "snapshots", "1.0.0",
	"Snapshots: the live frame as JPEG or PNG, in-process", "cameras", "storage")
