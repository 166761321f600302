//
// CamerasPlugin.cpp
//
// get_camera_list, get_camera_status, get_camera_capabilities, the
// camera_status_update notification, and the CameraService for other plugins.
//

#include "CameraManager.h"
#include "DeviceInputs.h"
#include "FfmpegPlugin.h"
#include "FfmpegLog.h"
#include "camsvc/sdk/LiveStreams.h"
#include "camsvc/sdk/Plugin.h"
#include <Poco/JSON/Array.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

namespace camsvc::cameras {

using namespace camsvc::sdk;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

class CamerasPlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("ffmpeg.preload", ConfigType::String, "on_request", "When FFmpeg is loaded: on_request, true (at start), false (first use)").values({"on_request", "true", "false"}));
		schema.declare(ConfigKey("cameras.sources", ConfigType::String, "", "Declared sources: cameras.sources.<id>.url, .name, .index, .always").family().live());
		schema.declare(ConfigKey("cameras.sources.first_index", ConfigType::Integer, "100", "First cameraN index given to declared sources without one").range(0, 1000000).live());
		schema.declare(ConfigKey("cameras.v4l2.enabled", ConfigType::Boolean, "true", "Discover and hot-plug V4L2 devices"));
		schema.declare(ConfigKey("cameras.v4l2.device_dir", ConfigType::Path, "/dev", "Where V4L2 devices (videoN) appear"));
		schema.declare(ConfigKey("cameras.v4l2.size", ConfigType::String, "", "V4L2 capture size, e.g. 1280x720; empty: the largest").maxLen(32));
		schema.declare(ConfigKey("cameras.v4l2.rate", ConfigType::String, "", "V4L2 capture rate, e.g. 30; empty: the highest at that size").maxLen(32));
		schema.declare(ConfigKey("cameras.v4l2.input_format", ConfigType::String, "", "V4L2 input format: h264, mjpeg, yuyv422; empty: chosen").maxLen(32));
		schema.declare(ConfigKey("cameras.always_on", ConfigType::Boolean, "false", "Keep every camera's pipeline running without consumers"));
		schema.declare(ConfigKey("cameras.max_cameras", ConfigType::Integer, "64", "The most cameras kept (declared and V4L2)").range(1, 4096));
		schema.declare(ConfigKey("cameras.encoder.preset", ConfigType::String, "ultrafast", "x264 preset of the H.264 encoder")
			.values({"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"}));
		schema.declare(ConfigKey("cameras.encoder.tune", ConfigType::String, "zerolatency", "x264 tune of the H.264 encoder")
			.values({"film", "animation", "grain", "stillimage", "psnr", "ssim", "fastdecode", "zerolatency"}));
		schema.declare(ConfigKey("cameras.encoder.crf", ConfigType::Integer, "23", "x264 constant rate factor (quality; lower is better)").range(0, 51));
		schema.declare(ConfigKey("cameras.encoder.gop_seconds", ConfigType::Number, "1", "Seconds between keyframes").range(0.1, 60));
		schema.declare(ConfigKey("cameras.restart.initial_ms", ConfigType::Integer, "500", "First delay before a failed source is restarted").range(1, 3600000));
		schema.declare(ConfigKey("cameras.restart.max_ms", ConfigType::Integer, "10000", "Longest delay between restarts (doubling)").range(1, 3600000));
		schema.declare(ConfigKey("cameras.idle_stop_ms", ConfigType::Integer, "2000", "A pipeline without consumers stops after this").range(0, 3600000));
		schema.declare(ConfigKey("cameras.frame_lease_ms", ConfigType::Integer, "5000", "How long a frame request keeps an idle pipeline running").range(1, 3600000));
	}

	void reload() override
	{
		// Live: declared sources (cameras.sources.*). Encoder and V4L2 settings apply to pipelines created after a restart.
		if (_manager)
			_manager->reloadSources();
	}

	void load(Host& host) override
	{
		_host = &host;
		const auto& config = host.config();
		_manager = std::make_shared<CameraManager>(config, host.logger());
		host.provide<CameraService>(_manager);
		host.declareNotification("camera_status_update", "A camera connected, disconnected, failed or recovered");
		_connected = &host.gauge("cameras_connected", "Cameras connected now");
		_known = &host.gauge("cameras_total", "Cameras known (connected or not)");

		host.registerMethod({.name = "get_camera_list", .summary = "Every camera with its status and stream URLs",
			.resultSummary = "cameras[device,status,name,stream_name,resolution,fps,streams,stream_status,stream_reason?,source (admin)], total, connected"},
			[this](const Object::Ptr&, const CallContext& ctx) { return cameraList(ctx); });
		host.registerMethod({.name = "get_camera_status", .summary = "One camera's status, metrics and capabilities", .params = {deviceParam()},
			.resultSummary = "device,status,name,stream_name,resolution,fps,streams,stream_status,stream_reason?,source (admin),metrics{bytes_sent,readers,uptime},capabilities{formats,resolutions}"},
			[this](const Object::Ptr& p, const CallContext& ctx) { return cameraStatus(*camera(p, ctx), ctx); });
		host.registerMethod({.name = "get_camera_capabilities", .summary = "Formats, resolutions and frame rates a camera offers",
			.params = {deviceParam()}, .resultSummary = "device, formats, resolutions, fps_options, validation_status"},
			[this](const Object::Ptr& p, const CallContext& ctx) { return cameraCapabilities(*camera(p, ctx)); });
		host.declareFeature("cameras", {});
	}

	void start() override
	{
		_liveStreams = _host->find<LiveStreams>(); // null without the mediamtx plugin
		_watch = _manager->watchCameras([this](const CameraInfo& info) {
			updateGauges();
			_host->publish("camera_status_update", summary(info));
		});
		_manager->start();
		updateGauges();
		std::string when = _host->config().getString("ffmpeg.preload", "on_request");
		_preloadOnRequest = when == "on_request";
		if (when != "on_request" && _host->config().getBool("ffmpeg.preload", false))
			preloadSoon();
	}

	void stop() override
	{
		{
			std::lock_guard lock(_preloadMutex);
			_preloadStopped = true; // no preload starts after this
		}
		if (_preload.joinable())
			_preload.join();
		_watch.reset();
		_manager->stop();
		restoreFfmpegLog(); // the callback lives in this plugin
	}

private:
	void preloadSoon()
		/// Starts the background preload once (ffmpeg.preload = true: at start;
		/// on_request: at an operator's first camera method, typically the
		/// camera list a UI shows before its user asks for a snapshot).
	{
		std::lock_guard lock(_preloadMutex);
		if (!_preloadStopped && !_preload.joinable())
			_preload = std::thread([this] { preload(); });
	}

	void requested(const CallContext& ctx)
		/// ffmpeg.preload = on_request: a client that may take snapshots,
		/// record or stream (operator or admin) looks at the cameras.
	{
		if (roleAtLeast(ctx.identity.role, Role::Operator) && _preloadOnRequest.exchange(false))
			preloadSoon();
	}

	void preload()
		/// ffmpeg.preload: the libraries a first snapshot or recording would
		/// otherwise load inside the client's call (FFmpeg; libavdevice when a
		/// camera needs a device input), loaded in the background now.
	{
		auto started = std::chrono::steady_clock::now();
		preloadFfmpeg();
		bool deviceInputs = false;
		for (const auto& c: _manager->cameras())
			deviceInputs = deviceInputs || c->source == "testsrc" || c->source == "v4l2";
		if (deviceInputs || _host->config().getBool("cameras.v4l2.enabled", true))
			ensureDeviceInputs();
		_host->logger().information("FFmpeg preloaded in %Ld ms (ffmpeg.preload)", static_cast<Poco::Int64>(
			std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()));
	}

	static Var number(double v)
	{
		if (std::floor(v) == v && std::fabs(v) < 1e9)
			return Var(static_cast<int>(v));
		return Var(v);
	}

	static Array::Ptr strings(const std::vector<std::string>& items)
	{
		Array::Ptr a = new Array;
		for (const auto& i: items)
			a->add(i);
		return a;
	}

	Var cameraList(const CallContext& ctx)
	{
		requested(ctx);
		Array::Ptr cameras = new Array;
		int connected = 0;
		for (const auto& c: _manager->cameras())
		{
			Object::Ptr entry = summary(*c);
			showSource(ctx, *c, *entry);
			cameras->add(entry);
			connected += c->state == CameraState::Connected;
		}
		Object::Ptr r = new Object;
		r->set("cameras", cameras);
		r->set("total", cameras->size());
		r->set("connected", connected);
		return Var(r);
	}

	Var cameraStatus(const CameraInfo& c, const CallContext& ctx) const
	{
		LiveStreamState live = liveState(c);
		Object::Ptr r = summary(c, live);
		showSource(ctx, c, *r);
		Object::Ptr metrics = new Object;
		metrics->set("bytes_sent", live.bytesSent); // MediaMTX's view: what viewers received
		metrics->set("readers", live.readers);
		metrics->set("uptime", static_cast<Poco::Int64>(c.uptimeSeconds));
		metrics->set("running", c.running);
		metrics->set("bytes_encoded", c.bytes);    // the capture pipeline's own output
		metrics->set("consumers", c.sinks);
		r->set("metrics", metrics);
		Object::Ptr caps = new Object;
		caps->set("formats", strings(c.formats));
		caps->set("resolutions", strings(c.resolutions));
		r->set("capabilities", caps);
		if (!c.error.empty())
			r->set("error", c.error);
		return Var(r);
	}

	static Var cameraCapabilities(const CameraInfo& c)
	{
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("formats", strings(c.formats));
		r->set("resolutions", strings(c.resolutions));
		Array::Ptr fps = new Array;
		for (double f: c.fpsOptions)
			fps->add(number(f));
		r->set("fps_options", fps);
		// V4L2 capabilities come from the device; declared sources' from their configuration.
		r->set("validation_status", c.source == "v4l2" ? "confirmed" : "configured");
		return Var(r);
	}

	Record<CameraInfo> camera(const Object::Ptr& params, const CallContext& ctx)
	{
		requested(ctx);
		return _manager->require(params->getValue<std::string>("device"));
	}

	LiveStreamState liveState(const CameraInfo& c) const
	{
		return _liveStreams ? *_liveStreams->streamState(c.name) : LiveStreamState();
	}

	static void showSource(const CallContext& ctx, const CameraInfo& c, Object& target)
		/// Admins see where a camera comes from (a declared source's URL,
		/// redacted); viewers and notifications never do.
	{
		if (roleAtLeast(ctx.identity.role, Role::Admin))
			target.set("source", c.sourceUrl);
	}

	Object::Ptr summary(const CameraInfo& c) const
	{
		return summary(c, liveState(c));
	}

	Object::Ptr summary(const CameraInfo& c, const LiveStreamState& live) const
	{
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("status", cameraStateName(c.state));
		r->set("name", c.label);
		r->set("stream_name", c.name);
		r->set("resolution", c.width ? std::to_string(c.width) + "x" + std::to_string(c.height) : std::string());
		r->set("fps", static_cast<int>(std::lround(c.fps))); // the seed's int
		describeStreams(live, *r);
		if (c.state == CameraState::Error && !c.reason.empty())
			r->set("reason", c.reason); // "device_busy": another program holds the device; retried with backoff
		return r;
	}

	void updateGauges()
	{
		int connected = 0, total = 0;
		for (const auto& c: _manager->cameras())
		{
			++total;
			connected += c->state == CameraState::Connected;
		}
		_connected->set(connected);
		_known->set(total);
	}

	Host* _host = nullptr;
	std::shared_ptr<CameraManager> _manager;
	std::unique_ptr<Subscription> _watch;
	Gauge* _connected = nullptr;
	Gauge* _known = nullptr;
	std::shared_ptr<LiveStreams> _liveStreams;
	std::mutex _preloadMutex;
	std::thread _preload;             // under _preloadMutex until stop()
	bool _preloadStopped = false;     // under _preloadMutex
	std::atomic<bool> _preloadOnRequest{false};
};

} // namespace camsvc::cameras

CAMSVC_PLUGIN(camsvc::cameras::CamerasPlugin, "cameras", "1.0.0", "Cameras: V4L2 discovery and hot-plug, declared sources, capture pipelines")
