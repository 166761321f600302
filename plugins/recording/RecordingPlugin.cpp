//
// RecordingPlugin.cpp
//
// start_recording, stop_recording and the recording_status_update
// notification; the work is in RecordingManager.
//

#include "RecordingManager.h"
#include "FfmpegPlugin.h"
#include "camsvc/sdk/Plugin.h"

namespace camsvc::recording {

using namespace camsvc::sdk;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

class RecordingPlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("recording.default_format", ConfigType::String, "mp4", "Format when start_recording gives none").values({"mp4", "mkv"}));
		schema.declare(ConfigKey("recording.fragment_ms", ConfigType::Integer, "1000", "Fragment (MP4) / cluster (MKV) length: the most a crash loses").range(100, 3600000));
		schema.declare(ConfigKey("recording.sync_interval_ms", ConfigType::Integer, "1000", "fdatasync() period of an open recording (0: the kernel's)").range(0, 3600000));
		schema.declare(ConfigKey("recording.queue_bytes", ConfigType::Integer, "16777216", "Packet bytes queued for a recording's writer").range(1048576, 1073741824));
		schema.declare(ConfigKey("recording.stall_grace_ms", ConfigType::Integer, "3000", "With a duration: stop this long after it if the camera stalls").range(0, 3600000));
		schema.declare(ConfigKey("recording.max_duration_seconds", ConfigType::Number, "86400", "Longest recording (and start_recording duration)").range(1, 31536000));
	}

	void load(Host& host) override
	{
		_host = &host;
		_settings = RecordingSettings::fromConfig(host.config());
		host.declareNotification("recording_status_update", "A recording started, stopped or failed");
		_active = &host.gauge("recordings_active", "Recordings being written now");

		host.declareFeature("recordings", {"mp4", "mkv"});
		host.registerMethod({.name = "start_recording", .minRole = Role::Operator,
			.summary = "Start recording a camera's H.264 stream (remuxed, no re-encode) to fragmented MP4 or MKV",
			.params = {deviceParam(),
				ParamSpec("duration", ParamType::Number, false,
					"Seconds to record (1 to recording.max_duration_seconds); absent: until stop_recording or that maximum")
					.range(1, _settings.maxDurationSeconds),
				ParamSpec("format", ParamType::String, false, "mp4 (default, fragmented), fmp4 (= mp4) or mkv").values({"mp4", "fmp4", "mkv"})},
			.resultSummary = "device, session_id, filename, status STARTED, start_time, duration, format, file_path, "
				"duration_seconds, max_duration_seconds"},
			[this](const Object::Ptr& p, const CallContext&) {
				return Var(manager().start(p->getValue<std::string>("device"),
					p->has("duration") ? p->getValue<double>("duration") : 0.0,
					p->has("format") ? p->getValue<std::string>("format") : std::string()));
			});
		host.registerMethod({.name = "stop_recording", .minRole = Role::Operator, .summary = "Stop a camera's recording and finalize its file",
			.params = {deviceParam()},
			.resultSummary = "device, session_id, filename, status STOPPED, start_time, end_time, duration, file_size, format, "
				"file_path, duration_seconds, reason, deleted?, deleted_reason?"},
			[this](const Object::Ptr& p, const CallContext&) { return Var(manager().stop(p->getValue<std::string>("device"))); });
	}

	void start() override
	{
		auto cameras = _host->find<CameraService>();
		auto store = _host->find<MediaStore>();
		if (!cameras || !store)
			throw std::runtime_error("the recording plugin needs the cameras and storage services");
		_manager = std::make_unique<RecordingManager>(cameras, store, _settings, _host->logger(),
			[this](Object::Ptr params) { _host->publish("recording_status_update", params); },
			[this](std::size_t active) { _active->set(static_cast<std::int64_t>(active)); });
	}

	void stop() override
	{
		if (_manager)
			_manager->stopAll(); // SIGTERM: every open file is finalized before exit
	}

private:
	RecordingManager& manager()
	{
		if (!_manager)
			throw RpcError(ErrorCode::InternalError, "Recording is not available", "not_started");
		return *_manager;
	}

	Host* _host = nullptr;
	RecordingSettings _settings;
	std::unique_ptr<RecordingManager> _manager;
	Gauge* _active = nullptr;
};

} // namespace camsvc::recording

CAMSVC_PLUGIN(camsvc::recording::RecordingPlugin, "recording", "1.0.0",
	"Recordings: H.264 remuxed to fragmented MP4 or MKV, crash-safe, with status notifications", "cameras", "storage")
