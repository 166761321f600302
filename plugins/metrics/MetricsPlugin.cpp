//
// MetricsPlugin.cpp
//
// get_metrics, get_status, get_server_info and GET /metrics (Prometheus),
// all read from the core's ServerIntrospection service and /proc.
//

#include "ComponentStates.h"
#include "ProcessStats.h"
#include "PrometheusText.h"
#include "camsvc/sdk/CameraService.h"
#include "camsvc/sdk/Introspection.h"
#include "camsvc/sdk/MediaStore.h"
#include "camsvc/sdk/Plugin.h"
#include <Poco/DateTimeParser.h>
#include <Poco/Environment.h>
#include <Poco/JSON/Array.h>
#include <cmath>
#include <sys/statvfs.h>

namespace camsvc::metrics {

using namespace camsvc::sdk;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

double round2(double v)
{
	return std::round(v * 100.0) / 100.0;
}

std::int64_t pluginGauge(const ServerIntrospection& server, const std::string& name)
{
	for (const auto& m: each(server.pluginMetrics()))
		if (m.name == name)
			return m.value;
	return 0;
}

std::string buildDate()
	/// The compiler's __DATE__ ("Dec  1 2026") as RFC 3339 ("2026-12-01").
{
	int tz = 0;
	Poco::DateTime date;
	if (!Poco::DateTimeParser::tryParse("%b %e %Y", __DATE__, date, tz))
		return __DATE__;
	return Poco::DateTimeFormatter::format(date, "%Y-%m-%d");
}

const char* statusWord(Health h)
{
	switch (h)
	{
	case Health::Healthy:  return "HEALTHY";
	case Health::Degraded: return "DEGRADED";
	default:               return "UNHEALTHY";
	}
}

} // namespace

class MetricsPlugin: public Plugin
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("metrics.require_auth", ConfigType::Boolean, "true", "/metrics needs a token"));
		schema.declare(ConfigKey("metrics.required_role", ConfigType::String, "admin", "Least role of that token").values({"viewer", "operator", "admin"}));
	}

	void load(Host& host) override
	{
		_host = &host;
		registerGetMetrics(host);
		registerGetStatus(host);
		registerGetServerInfo(host);
		registerGetSystemStatus(host);

		HttpRoute route;
		route.method = "GET";
		route.pathPrefix = "/metrics";
		bool requireAuth = host.config().getBool("metrics.require_auth", true);
		Role role = Role::Admin;
		parseRole(host.config().getString("metrics.required_role", "admin"), role);
		route.minRole = requireAuth ? role : Role::None;
		host.registerHttpRoute(route, [this](const HttpRequest& request, HttpResponse& response, const HttpContext&) {
			if (request.path != "/metrics")
			{
				response.status = 404;
				return;
			}
			response.setBody(prometheusText(*server(), _process.sample()), "text/plain; version=0.0.4; charset=utf-8");
		});
	}

	void start() override
	{
		_server = _host->find<ServerIntrospection>();
		if (!_server)
			throw std::runtime_error("the core does not provide " + std::string(ServerIntrospection::ServiceName));
		_cameras = _host->find<CameraService>(); // optional: without them there are no cameras to report
		_store = _host->find<MediaStore>();
	}

private:
	const ServerIntrospection* server() const { return _server.get(); }

	template <class Body>
	MethodHandler withCounters(Body body) const
		/// A handler that gives body the server's counters as they are now.
	{
		return [this, body](const Object::Ptr&, const CallContext&) {
			const auto counters = server()->counters();
			return body(*counters);
		};
	}

	void registerGetMetrics(Host& host)
	{
		host.registerMethod({.name = "get_metrics", .minRole = Role::Admin, .summary = "Performance figures of the service",
			.resultSummary = "active_connections, total_requests, average_response_time (ms), error_rate, memory_usage (%), "
				"cpu_usage (%), goroutines (threads), heap_alloc (bytes), disk_usage (%), methods, cameras, recordings_in_progress, uptime"},
			withCounters([this](const ServerCounters& c) {
			auto p = _process.sample();
			Object::Ptr r = new Object;
			r->set("active_connections", c.connectionsActive);
			r->set("total_requests", c.requestsTotal);
			r->set("average_response_time", c.requestsTotal ? round2(static_cast<double>(c.requestLatencyMicros) / 1000.0 / static_cast<double>(c.requestsTotal)) : 0.0);
			r->set("error_rate", c.requestsTotal ? static_cast<double>(c.requestErrors) / static_cast<double>(c.requestsTotal) : 0.0);
			r->set("memory_usage", round2(p.memoryPercent));
			r->set("cpu_usage", round2(p.cpuPercent));
			r->set("goroutines", p.threads); // the process's thread count (the Go service reported goroutines)
			r->set("heap_alloc", p.heapBytes);
			r->set("disk_usage", round2(diskUsagePercent()));
			r->set("resident_memory", p.residentBytes);
			r->set("uptime", (Poco::Timestamp() - c.startedAt) / Poco::Timestamp::resolution());
			r->set("total_connections", c.connectionsTotal);
			r->set("notifications_sent", c.notificationsSent);
			r->set("notifications_dropped", c.notificationsDropped);
			r->set("cameras", pluginGauge(*server(), "cameras_connected"));
			r->set("recordings_in_progress", pluginGauge(*server(), "recordings_active"));
			Object::Ptr methods = new Object;
			for (const auto& m: each(server()->methods()))
			{
				if (m.calls == 0)
					continue;
				Object::Ptr f = new Object;
				f->set("calls", m.calls);
				f->set("errors", m.errors);
				f->set("average_response_time", round2(static_cast<double>(m.sumMicros) / 1000.0 / static_cast<double>(m.calls)));
				methods->set(m.spec.name, f);
			}
			r->set("methods", methods);
			return Var(r);
		}));
	}

	void registerGetStatus(Host& host)
	{
		host.registerMethod({.name = "get_status", .minRole = Role::Admin, .summary = "Health of the service and its components",
			.resultSummary = "status (HEALTHY|DEGRADED|UNHEALTHY), uptime, version, ready, "
				"components{name: RUNNING|STOPPED|ERROR|STARTING|STOPPING}, component_details{name: {status, detail}}, plugins"},
			withCounters([this](const ServerCounters& c) {
			Object::Ptr r = new Object;
			r->set("status", statusWord(server()->overallHealth()));
			r->set("uptime", (Poco::Timestamp() - c.startedAt) / Poco::Timestamp::resolution());
			r->set("version", c.version);
			r->set("ready", server()->ready());
			auto components = server()->components();
			auto pluginList = server()->plugins();
			r->set("components", componentStates(pluginList, components)); // what dashboards read: name -> RUNNING|...
			Object::Ptr details = new Object;
			for (const auto& comp: each(components))
			{
				Object::Ptr o = new Object;
				o->set("status", healthName(comp.health));
				o->set("detail", comp.detail);
				details->set(comp.name, o);
			}
			r->set("component_details", details);
			Object::Ptr plugins = new Object;
			for (const auto& p: each(pluginList))
				plugins->set(p.name, p.state);
			r->set("plugins", plugins);
			return Var(r);
		}));
	}

	void registerGetServerInfo(Host& host)
	{
		host.registerMethod({.name = "get_server_info", .summary = "Name, version, build, plugins, methods and formats of the service",
			.resultSummary = "name, version, build_info, build_date, architecture, max_cameras, plugins[], methods[], "
				"capabilities[], supported_formats[], notifications[]"},
			withCounters([this](const ServerCounters& c) {
			Object::Ptr r = new Object;
			r->set("name", "camera-service");
			r->set("version", c.version);
			r->set("build_info", c.buildInfo);
			r->set("build_date", buildDate());
			r->set("architecture", Poco::Environment::osArchitecture());
			r->set("max_cameras", _host->config().getInt("cameras.max_cameras", DefaultMaxCameras));
			Array::Ptr plugins = new Array;
			for (const auto& p: each(server()->plugins()))
			{
				Object::Ptr o = new Object;
				o->set("name", p.name);
				o->set("version", p.version);
				o->set("description", p.description);
				o->set("state", p.state);
				plugins->add(o);
			}
			r->set("plugins", plugins);
			Array::Ptr methods = new Array;
			for (const auto& m: each(server()->methods()))
				methods->add(m.spec.name);
			r->set("methods", methods);
			// What the plugins declared (Host::declareFeature()), in the seed's order.
			Array::Ptr capabilities = new Array;
			Array::Ptr formats = new Array;
			auto features = server()->features();
			for (const char* seedOrder: {"snapshots", "recordings", "streaming"})
			{
				auto it = features.find(seedOrder);
				if (it == features.end())
					continue;
				capabilities->add(it->first);
				for (const auto& f: it->second)
					formats->add(f);
				features.erase(it);
			}
			capabilities->add("notifications");
			for (const auto& [name, featureFormats]: features)
			{
				if (name == "notifications" || name == "cameras")
					continue;
				capabilities->add(name);
				for (const auto& f: featureFormats)
					formats->add(f);
			}
			r->set("capabilities", capabilities);
			r->set("supported_formats", formats);
			Array::Ptr topics = new Array;
			for (const auto& [name, summary]: server()->notifications())
				topics->add(name);
			r->set("notifications", topics);
			return Var(r);
		}));
	}

	void registerGetSystemStatus(Host& host)
	{
		host.registerMethod({.name = "get_system_status", .summary = "Whether the service is up, for viewers",
			.resultSummary = "status (starting|partial|ready), message, available_cameras[], discovery_active"},
			[this](const Object::Ptr&, const CallContext&) {
			SystemSummary summary = systemSummary(server()->ready(), server()->plugins(), server()->components());
			Array::Ptr cameras = new Array;
			if (_cameras)
				for (const auto& c: each(_cameras->cameras()))
					if (c.state == CameraState::Connected)
						cameras->add(c.device);
			Object::Ptr r = new Object;
			r->set("status", summary.status);
			r->set("message", summary.message);
			r->set("available_cameras", cameras);
			// Discovery: the cameras plugin runs and watches for V4L2 devices.
			r->set("discovery_active", _cameras != nullptr && _host->config().getBool("cameras.v4l2.enabled", true));
			return Var(r);
		});
	}

	double diskUsagePercent() const
		/// Of the file system holding the recordings (the state directory without a media store).
	{
		if (_store)
			return 100.0 - _store->checkRoom(MediaKind::Recording)->freePercent;
		struct statvfs fs{};
		if (::statvfs(_host->stateDirectory().c_str(), &fs) != 0 || fs.f_blocks == 0)
			return 0.0;
		return 100.0 * static_cast<double>(fs.f_blocks - fs.f_bavail) / static_cast<double>(fs.f_blocks);
	}

	Host* _host = nullptr;
	std::shared_ptr<ServerIntrospection> _server;
	std::shared_ptr<CameraService> _cameras;
	std::shared_ptr<MediaStore> _store;
	ProcessStats _process;
};

} // namespace camsvc::metrics

CAMSVC_PLUGIN(camsvc::metrics::MetricsPlugin, "metrics", "1.0.0", "get_metrics, get_status, get_server_info, Prometheus /metrics")
