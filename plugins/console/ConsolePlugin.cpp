//
// ConsolePlugin.cpp
//
// The web console: a single-page app at / (assets compiled into the plugin)
// that talks to the service over the same WebSocket JSON-RPC API as every
// other client, and the live view it shows: GET /console/live/<camera>,
// the camera's H.264 remuxed to fragmented MP4 (no re-encode) for Media
// Source Extensions, viewer role.
//

#include "AssetTable.h"
#include "ConsoleRoutes.h"
#include "EmbeddedAssets.h"
#include "LiveViews.h"
#include "camsvc/sdk/CameraService.h"
#include "FfmpegPlugin.h"
#include "camsvc/sdk/Plugin.h"

namespace camsvc::console {

using namespace camsvc::sdk;

class ConsolePlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("console.live.enabled", ConfigType::Boolean, "true", "Live view at /console/live/<camera>"));
		schema.declare(ConfigKey("console.live.max_viewers", ConfigType::Integer, "8", "Live views open at once").range(1, 1000));
		schema.declare(ConfigKey("console.live.queue_bytes", ConfigType::Integer, "1048576", "Bytes queued for one live viewer").range(65536, 268435456));
		schema.declare(ConfigKey("console.live.start_timeout_ms", ConfigType::Integer, "10000", "How long a new live view waits for a keyframe before 503").range(100, 600000));
	}

	void load(Host& host) override
	{
		_host = &host;
		const auto& config = host.config();
		_settings = LiveSettings::fromConfig(config);
		_assets = std::make_unique<AssetTable>(embeddedAssets(), std::map<std::string, std::string>{
			{"WS_PATH", config.getString("server.websocket.path", "/ws")},
			{"LIVE_PATH", _settings.enabled ? LivePrefix : ""}});
		_viewersGauge = &host.gauge("console_live_viewers", "Live views the console streams now");
		_droppedCounter = &host.counter("console_live_dropped_fragments_total", "Live-view fragments dropped for viewers that fell behind");

		HttpRoute page;
		page.pathPrefix = "/";
		page.minRole = Role::None; // the page itself holds nothing: every call it makes is authenticated
		host.registerHttpRoute(page, [this](const HttpRequest& req, HttpResponse& resp, const HttpContext&) {
			serveAsset(*_assets, req, resp);
		});
		if (_settings.enabled)
		{
			HttpRoute live;
			live.pathPrefix = LivePrefix;
			live.minRole = Role::Viewer;
			host.registerHttpRoute(live, [this](const HttpRequest& req, HttpResponse& resp, const HttpContext&) {
				_streams->serve(_views.get(), req, resp);
			});
		}
	}

	void start() override
	{
		auto cameras = _host->find<CameraService>();
		if (_settings.enabled)
			_streams = std::make_unique<LiveStreams>(_host->logger()); // answers 404 without cameras
		if (cameras && _settings.enabled)
			_views = std::make_unique<LiveViews>(cameras, _settings, _viewersGauge, _droppedCounter);
		else if (_settings.enabled)
			_host->logger().warning("no cameras plugin: the console has no live view");
		// Where a new user finds it (the first thing they look for in the log).
		const auto& config = _host->config();
		std::string host = config.getString("server.host", "0.0.0.0");
		bool tls = !config.getString("server.tls.certificate", "").empty();
		_host->logger().information("web console at %s://%s:%d/", std::string(tls ? "https" : "http"),
			host == "0.0.0.0" || host == "::" ? std::string("localhost") : host, config.getInt("server.port", 8002));
	}

	void stop() override
	{
		if (_views)
			_views->closeAll("shutting_down"); // every stream ends
		_streams.reset();                      // the views are retired before the views' owner goes
	}

private:
	Host* _host = nullptr;
	LiveSettings _settings;
	std::unique_ptr<AssetTable> _assets;
	std::unique_ptr<LiveViews> _views;
	std::unique_ptr<LiveStreams> _streams; // after _views: destroyed first
	Gauge* _viewersGauge = nullptr;
	Counter* _droppedCounter = nullptr;
};

} // namespace camsvc::console

CAMSVC_PLUGIN(camsvc::console::ConsolePlugin, "console", "1.0.0",
	"Web console: the single-page app at / and live views (fragmented MP4 over HTTP)")
