//
// Introspection.h
//
// What the core knows about itself, for plugins that report on the service
// (the metrics plugin: get_metrics, get_status, get_server_info, /metrics).
// Provided by the core under ServerIntrospection::ServiceName.
//
// ABI: every record here is allocated by the core and handed out as
// std::shared_ptr<const T>; a plugin reads it and never copies it back, so
// members appended in a later minor version break nothing (sdk/README.md
// "ABI rules").
//

#ifndef CAMSVC_SDK_INTROSPECTION_H
#define CAMSVC_SDK_INTROSPECTION_H

#include "camsvc/sdk/Method.h"
#include "camsvc/sdk/Metrics.h"
#include "camsvc/sdk/Records.h"
#include <Poco/Timestamp.h>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace camsvc {
namespace sdk {

struct ServerCounters
{
	std::string version;
	std::string buildInfo;          // compiler, build type, SDK and library versions
	Poco::Timestamp startedAt;
	std::int64_t connectionsActive = 0;
	std::uint64_t connectionsTotal = 0;
	std::uint64_t connectionsClosedSlow = 0;
	std::uint64_t connectionsClosedIdle = 0;
	std::uint64_t requestsTotal = 0;   // every call, valid or not
	std::uint64_t requestErrors = 0;
	std::uint64_t requestLatencyMicros = 0; // sum over requestsTotal
	std::uint64_t unknownMethodCalls = 0;
	std::uint64_t invalidMessages = 0;
	std::uint64_t notificationsSent = 0;
	std::uint64_t notificationsDropped = 0;
	std::uint64_t bytesIn = 0;
	std::uint64_t bytesOut = 0;
};

struct MethodFigures
{
	MethodSpec spec;
	std::string owner;                   // plugin name, or "core"
	std::uint64_t calls = 0;
	std::uint64_t errors = 0;
	std::uint64_t sumMicros = 0;
	std::vector<std::uint64_t> bucketBoundsMicros; // upper bounds; +Inf implied
	std::vector<std::uint64_t> bucketCounts;       // per bucket (not cumulative), one more than bounds
};

struct PluginStatus
{
	std::string name;
	std::string version;
	std::string description;
	std::string state;                   // "started", "rejected", "failed", ...
	std::string error;
};

struct ComponentHealth
{
	std::string name;
	Health health = Health::Healthy;
	std::string detail;
};

struct PluginMetric
{
	std::string name;                    // without the camsvc_ prefix
	std::string help;
	bool counter = false;                // counter or gauge
	std::int64_t value = 0;
};

class ServerIntrospection
{
public:
	static constexpr const char* ServiceName = "camsvc.ServerIntrospection/2";

	virtual ~ServerIntrospection() = default;

	// All thread-safe and cheap (copies of atomics and small tables); callers share the results.
	virtual Record<ServerCounters> counters() const = 0;
	virtual Records<MethodFigures> methods() const = 0;              // sorted by name
	virtual Records<PluginStatus> plugins() const = 0;               // dependency order
	virtual Records<ComponentHealth> components() const = 0;
	virtual Health overallHealth() const = 0;                         // the worst component
	virtual bool ready() const = 0;                                   // started, nothing unhealthy
	virtual Records<PluginMetric> pluginMetrics() const = 0;
	virtual std::map<std::string, std::string> notifications() const = 0; // topic -> summary
	virtual std::map<std::string, std::vector<std::string>> features() const = 0;
		/// What the plugins declared (Host::declareFeature()): capability -> formats.
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_INTROSPECTION_H
