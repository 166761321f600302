//
// Introspection.h
//
// What the core knows about itself, for plugins that report on the service
// (the metrics plugin: get_metrics, get_status, get_server_info, /metrics).
// Provided by the core under ServerIntrospection::ServiceName.
//

#ifndef CAMSVC_SDK_INTROSPECTION_H
#define CAMSVC_SDK_INTROSPECTION_H

#include "camsvc/sdk/Method.h"
#include "camsvc/sdk/Metrics.h"
#include <Poco/Timestamp.h>
#include <cstdint>
#include <map>
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
	static constexpr const char* ServiceName = "camsvc.ServerIntrospection/1";

	virtual ~ServerIntrospection() = default;

	// All thread-safe and cheap (copies of atomics and small tables); callers own the results.
	virtual ServerCounters counters() const = 0;
	virtual std::vector<MethodFigures> methods() const = 0;          // sorted by name
	virtual std::vector<PluginStatus> plugins() const = 0;           // dependency order
	virtual std::vector<ComponentHealth> components() const = 0;
	virtual Health overallHealth() const = 0;                         // the worst component
	virtual bool ready() const = 0;                                   // started, nothing unhealthy
	virtual std::vector<PluginMetric> pluginMetrics() const = 0;
	virtual std::map<std::string, std::string> notifications() const = 0; // topic -> summary
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_INTROSPECTION_H
