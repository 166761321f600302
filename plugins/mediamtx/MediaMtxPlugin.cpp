//
// MediaMtxPlugin.cpp
//
// Live streams through MediaMTX: start_streaming / stop_streaming publish a
// camera's H.264 into its MediaMTX path; get_stream_url, get_stream_status
// and get_streams report what MediaMTX serves. MediaMTX unreachable: the
// streaming calls fail with -32006 and the rest of the service goes on.
//

#include "MediaMtxClient.h"
#include "PathManager.h"
#include "RtspPublisher.h"
#include "StreamDirectory.h"
#include "camsvc/sdk/CameraService.h"
#include "FfmpegPlugin.h"
#include "camsvc/sdk/Plugin.h"
#include <atomic>
#include <Poco/JSON/Array.h>
#include <map>
#include <set>

namespace camsvc::mediamtx {

using namespace camsvc::sdk;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

class MediaMtxPlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("mediamtx.enabled", ConfigType::Boolean, "true", "Streams through MediaMTX (false: no stream URLs)"));
		schema.declare(ConfigKey("mediamtx.api.url", ConfigType::String, "http://127.0.0.1:9997", "MediaMTX control API").maxLen(2048).live());
		schema.declare(ConfigKey("mediamtx.api.username", ConfigType::String, "", "MediaMTX API user").maxLen(256).live());
		schema.declare(ConfigKey("mediamtx.api.password", ConfigType::String, "", "MediaMTX API password").maxLen(256).masked().live());
		schema.declare(ConfigKey("mediamtx.api.timeout_ms", ConfigType::Integer, "2000", "Timeout of one API request").range(100, 60000).live());
		schema.declare(ConfigKey("mediamtx.rtsp.url", ConfigType::String, "rtsp://127.0.0.1:8554", "Where the service publishes (RTSP over TCP)").maxLen(2048));
		schema.declare(ConfigKey("mediamtx.public_host", ConfigType::String, "", "Host of the stream URLs clients are told; empty: that of mediamtx.rtsp.url").maxLen(256));
		schema.declare(ConfigKey("mediamtx.rtsp_port", ConfigType::Integer, "", "RTSP port of the stream URLs; empty: that of mediamtx.rtsp.url").range(1, 65535));
		schema.declare(ConfigKey("mediamtx.hls_port", ConfigType::Integer, "8888", "HLS port of the stream URLs").range(1, 65535));
		schema.declare(ConfigKey("mediamtx.webrtc_port", ConfigType::Integer, "8889", "WebRTC (WHEP) port of the stream URLs").range(1, 65535));
		schema.declare(ConfigKey("mediamtx.reconcile_interval_ms", ConfigType::Integer, "2000", "How often published paths are checked against MediaMTX").range(50, 3600000).live());
		schema.declare(ConfigKey("mediamtx.auto_publish", ConfigType::Boolean, "false", "Publish every camera without start_streaming").live());
	}

	struct ApiSettings
	{
		Poco::URI url;
		std::string username;
		std::string password;
		int timeoutMs = 2000;
	};

	static ApiSettings apiSettings(const Poco::Util::AbstractConfiguration& config)
		/// mediamtx.api.*: at load and on every reload.
	{
		return {Poco::URI(config.getString("mediamtx.api.url", "http://127.0.0.1:9997")), config.getString("mediamtx.api.username", ""),
			config.getString("mediamtx.api.password", ""), config.getInt("mediamtx.api.timeout_ms", 2000)};
	}

	void reload() override
	{
		// Live: the API address, credentials and timeout, the reconcile period and auto-publish.
		// The stream URLs (rtsp, ports, public host) need a restart: clients were told them.
		const auto& config = _host->config();
		_autoPublish = config.getBool("mediamtx.auto_publish", false);
		auto api = apiSettings(config);
		_client->reconfigure(api.url, api.username, api.password, api.timeoutMs);
		_paths->setInterval(config.getInt("mediamtx.reconcile_interval_ms", 2000));
	}

	void load(Host& host) override
	{
		_host = &host;
		const auto& config = host.config();
		_directory = std::make_shared<StreamDirectory>(config, [this](const std::string& name) { return publishing(name); });
		_enabled = _directory->enabled();
		host.provide<LiveStreams>(_directory);
		_autoPublish = config.getBool("mediamtx.auto_publish", false);
		_interval = config.getInt("mediamtx.reconcile_interval_ms", 2000);
		auto api = apiSettings(config);
		_client = std::make_unique<MediaMtxClient>(api.url, api.username, api.password, api.timeoutMs);
		_paths = std::make_unique<PathManager>(*_client, host.logger(),
			[this](bool reachable, const std::string& detail) {
				_host->reportHealth("mediamtx", reachable ? Health::Healthy : Health::Degraded, reachable ? "reachable" : detail);
			},
			[this](const std::optional<std::vector<PathState>>& states) {
				_directory->update(states);
				publishPending();
			});

		host.registerMethod({.name = "start_streaming", .minRole = Role::Operator, .summary = "Publishes a camera to its MediaMTX path",
			.params = {deviceParam()}, .resultSummary = "device, stream_name, stream_url, status (STARTED|STREAMING), streams"},
			[this](const Object::Ptr& p, const CallContext&) { return startStreaming(p->getValue<std::string>("device")); });
		host.registerMethod({.name = "stop_streaming", .minRole = Role::Operator, .summary = "Stops publishing a camera",
			.params = {deviceParam()}, .resultSummary = "device, stream_name, status (STOPPED), was_streaming"},
			[this](const Object::Ptr& p, const CallContext&) { return stopStreaming(p->getValue<std::string>("device")); });
		host.registerMethod({.name = "get_stream_url", .summary = "A camera's stream URLs", .params = {deviceParam()},
			.resultSummary = "device, stream_name, stream_url, available, streams, stream_status, stream_reason?"},
			[this](const Object::Ptr& p, const CallContext&) { return streamUrl(p->getValue<std::string>("device")); });
		host.registerMethod({.name = "get_stream_status", .summary = "A camera's stream as MediaMTX sees it", .params = {deviceParam()},
			.resultSummary = "device, stream_name, status, available, ready, readers, bytes_sent, publishing"},
			[this](const Object::Ptr& p, const CallContext&) { return streamStatus(p->getValue<std::string>("device")); });
		host.registerMethod({.name = "get_streams", .summary = "Every path MediaMTX serves",
			.resultSummary = "streams[name, source, ready, readers, bytes_sent], total"},
			[this](const Object::Ptr&, const CallContext&) { return streams(); });
		host.declareFeature("streaming", {});
	}

	void start() override
	{
		_cameras = _host->find<CameraService>();
		if (!_cameras)
			throw std::runtime_error("no camera service (plugin cameras)");
		if (!_enabled)
		{
			_host->reportHealth("mediamtx", Health::Healthy, "disabled");
			return;
		}
		_watch = _cameras->watchCameras([this](const CameraInfo& info) { cameraChanged(info); });
		if (_autoPublish)
			for (const auto& c: _cameras->cameras())
				if (c->state == CameraState::Connected)
					publishLater(c->name);
		_paths->start(_interval);
	}

	void stop() override
	{
		_watch.reset();
		_paths->stop();
		std::map<std::string, Stream> streams;
		{
			std::lock_guard lock(_mutex);
			streams.swap(_streams);
		}
		for (auto& [name, s]: streams)
		{
			s.subscription.reset();
			s.publisher->stop();
		}
	}

private:
	struct Stream
	{
		std::shared_ptr<RtspPublisher> publisher;
		std::unique_ptr<Subscription> subscription;
	};

	static RpcError unavailable(const std::string& reason, const std::string& detail)
	{
		Object::Ptr data = new Object;
		data->set("reason", reason);
		data->set("detail", detail);
		return RpcError(ErrorCode::MediaMtxUnavailable, "MediaMTX unavailable", data);
	}

	CameraInfo camera(const std::string& device) const
	{
		return *_cameras->require(device);
	}

	Object::Ptr urls(const std::string& name) const
	{
		StreamUrls u = _directory->urls(name);
		Object::Ptr s = new Object;
		s->set("rtsp", u.rtsp);
		s->set("webrtc", u.webrtc);
		s->set("whep", u.whep);
		s->set("hls", u.hls);
		return s;
	}

	template <class Call>
	auto askMediaMtx(Call call, bool evenDuringOutage = false) const -> decltype(call())
		/// A handler's call to MediaMTX, its failures as -32006. While the
		/// reconcile thread knows MediaMTX is down, reads answer -32006 at once:
		/// viewers' calls do not each wait out the API timeout (the client has
		/// one connection, so they would queue). start_streaming tries anyway,
		/// so it works the moment MediaMTX is back.
	{
		auto why = evenDuringOutage ? std::nullopt : _paths->outage();
		if (why)
			throw unavailable("mediamtx_unreachable", *why);
		try
		{
			return call();
		}
		catch (const MediaMtxError& e)
		{
			throw unavailable(e.unreachable() ? "mediamtx_unreachable" : "mediamtx_error", e.what());
		}
	}

	void requireEnabled() const
	{
		if (!_enabled)
			throw unavailable("mediamtx_disabled", "mediamtx.enabled is false");
	}

	bool publishing(const std::string& name) const
	{
		std::lock_guard lock(_mutex);
		return _streams.count(name) > 0;
	}

	void publish(const std::string& name)
	{
		std::lock_guard lock(_mutex);
		if (_streams.count(name))
			return;
		Stream s;
		s.publisher = std::make_shared<RtspPublisher>(_directory->rtspBase() + "/" + name, _host->logger());
		s.subscription = _cameras->subscribePackets(name, s.publisher);
		_streams[name] = std::move(s);
	}

	void publishLater(const std::string& name)
		/// mediamtx.auto_publish: the reconcile thread creates the path and
		/// attaches the publisher, so neither start() nor a camera thread waits on MediaMTX.
	{
		{
			std::lock_guard lock(_mutex);
			_pending.insert(name);
		}
		_paths->want(name);
	}

	void publishPending()
		/// On the reconcile thread, after each pass.
	{
		std::set<std::string> pending;
		{
			std::lock_guard lock(_mutex);
			pending.swap(_pending);
		}
		for (const auto& name: pending)
		{
			try
			{
				publish(name);
			}
			catch (const std::exception& e)
			{
				_host->logger().warning("cannot publish %s: %s", name, std::string(e.what()));
			}
		}
	}

	void cameraChanged(const CameraInfo& info)
		/// On a camera's thread: nothing here may block; the reconcile thread talks to MediaMTX.
	{
		if (info.state == CameraState::Disconnected)
			_paths->release(info.name); // camera gone: its path goes; the subscription waits for it to come back
		else if (info.state == CameraState::Connected && publishing(info.name))
			_paths->want(info.name);
		else if (info.state == CameraState::Connected && _autoPublish)
			publishLater(info.name); // a camera plugged in while running
	}

	Var startStreaming(const std::string& device)
	{
		requireEnabled();
		CameraInfo c = *_cameras->require(device, true);
		askMediaMtx([&] { _paths->ensure(c.name); }, true);
		bool already = publishing(c.name);
		publish(c.name);
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("stream_name", c.name);
		r->set("stream_url", urls(c.name)->getValue<std::string>("rtsp"));
		r->set("status", already ? "STREAMING" : "STARTED");
		r->set("streams", urls(c.name));
		return Var(r);
	}

	Var stopStreaming(const std::string& device)
	{
		CameraInfo c = camera(device);
		Stream s;
		{
			std::lock_guard lock(_mutex);
			auto it = _streams.find(c.name);
			if (it != _streams.end())
			{
				s = std::move(it->second);
				_streams.erase(it);
			}
		}
		bool was = s.publisher != nullptr;
		if (was)
		{
			s.subscription.reset();
			s.publisher->stop();
		}
		_paths->release(c.name);
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("stream_name", c.name);
		r->set("status", "STOPPED");
		r->set("was_streaming", was);
		return Var(r);
	}

	Var streamUrl(const std::string& device)
	{
		CameraInfo c = camera(device);
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("stream_name", c.name);
		LiveStreamState live = *_directory->streamState(c.name); // as the last reconcile pass saw it
		r->set("available", live.available);
		// The camera methods' rule: no URL while nothing can serve it.
		r->set("stream_url", streamUnavailableReason(live) ? Var() : Var(live.urls.rtsp));
		describeStreams(live, *r);
		return Var(r);
	}

	Var streamStatus(const std::string& device)
	{
		requireEnabled();
		CameraInfo c = camera(device);
		std::optional<PathState> state = askMediaMtx([&] { return _client->pathState(c.name); });
		PublisherStats publisher;
		bool ours = false;
		{
			std::lock_guard lock(_mutex);
			auto it = _streams.find(c.name);
			if (it != _streams.end())
			{
				publisher = it->second.publisher->stats();
				ours = true;
			}
		}
		Object::Ptr r = new Object;
		r->set("device", c.device);
		r->set("stream_name", c.name);
		r->set("stream_url", urls(c.name)->getValue<std::string>("rtsp"));
		r->set("status", state && state->available ? "STREAMING" : ours ? "STARTING" : "STOPPED");
		r->set("available", state && state->available);
		r->set("ready", state && state->available);
		r->set("readers", state ? state->readers : 0);
		r->set("bytes_sent", state ? state->outboundBytes : 0);
		r->set("bytes_received", state ? state->inboundBytes : 0);
		r->set("publishing", ours && publisher.connected);
		r->set("packets_published", publisher.packetsSent);
		return Var(r);
	}

	Var streams()
	{
		requireEnabled();
		std::vector<PathState> paths = askMediaMtx([&] { return _client->paths(); });
		Array::Ptr list = new Array;
		for (const auto& p: paths)
		{
			Object::Ptr s = new Object;
			s->set("name", p.name);
			s->set("source", p.sourceType.empty() ? Var() : Var(p.sourceType));
			s->set("ready", p.available);
			s->set("readers", p.readers);
			s->set("bytes_sent", p.outboundBytes);
			list->add(s);
		}
		Object::Ptr r = new Object;
		r->set("streams", list);
		r->set("total", list->size());
		return Var(r);
	}

	Host* _host = nullptr;
	bool _enabled = true;
	std::atomic<bool> _autoPublish{false}; // a reload may change it while camera updates arrive
	int _interval = 2000;
	std::shared_ptr<StreamDirectory> _directory;
	std::unique_ptr<MediaMtxClient> _client;
	std::unique_ptr<PathManager> _paths;
	std::shared_ptr<CameraService> _cameras;
	std::unique_ptr<Subscription> _watch;
	mutable std::mutex _mutex;
	std::map<std::string, Stream> _streams;
	std::set<std::string> _pending; // auto_publish: to attach on the reconcile thread
};

} // namespace camsvc::mediamtx

CAMSVC_PLUGIN(camsvc::mediamtx::MediaMtxPlugin, "mediamtx", "1.0.0", "Live streams through MediaMTX: path manager, RTSP publishing, stream methods", "cameras")
