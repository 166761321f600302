//
// MetricsPluginTest.cpp
//
// get_metrics, get_status, get_server_info and /metrics through the running
// server; the Prometheus text is checked line by line against the
// exposition format (names, HELP/TYPE, label syntax, histogram buckets).
//

#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

ServerProcess::Options metricsServer(std::map<std::string, std::string> defines = {})
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "test_tools", "metrics"};
	o.defines = std::move(defines);
	return o;
}

// Checks the Prometheus text exposition format; returns sample values by "name{labels}".
std::map<std::string, double> parsePrometheus(const std::string& text)
{
	static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
	static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
	static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)\})? ([^ ]+))");
	std::map<std::string, std::string> types;
	std::set<std::string> helped;
	std::map<std::string, double> values;
	std::istringstream in(text);
	std::string line;
	while (std::getline(in, line))
	{
		std::smatch m;
		if (std::regex_match(line, m, help))
		{
			EXPECT_TRUE(helped.insert(m[1]).second) << "duplicate HELP: " << line;
			continue;
		}
		if (std::regex_match(line, m, type))
		{
			EXPECT_TRUE(helped.count(m[1])) << "TYPE before HELP: " << line;
			EXPECT_TRUE(types.emplace(m[1], m[2]).second) << "duplicate TYPE: " << line;
			continue;
		}
		EXPECT_TRUE(std::regex_match(line, m, sample)) << "not a sample line: " << line;
		if (m.empty())
			continue;
		std::string name = m[1];
		std::string family = name;
		for (const char* suffix: {"_bucket", "_sum", "_count"})
		{
			std::string s = suffix;
			if (!types.count(family) && family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0)
				family = family.substr(0, family.size() - s.size());
		}
		EXPECT_TRUE(types.count(family)) << "sample without TYPE: " << line;
		double value = 0;
		EXPECT_TRUE(Poco::NumberParser::tryParseFloat(m[7], value)) << "bad value: " << line;
		values[name + (m[2].matched ? std::string(m[2]) : "")] = value;
	}
	return values;
}

TEST(MetricsPlugin, GetMetricsHasEverySeedFieldWithExactCounts)
{
	ServerProcess server(metricsServer());
	RpcClient client(server.port());
	client.authenticateAs("admin");
	for (int i = 0; i < 5; ++i)
		client.result("ping");
	client.call("no_such_method");
	auto m = client.result("get_metrics").extract<Object::Ptr>();
	EXPECT_EQ(m->getValue<int>("active_connections"), 1);
	EXPECT_EQ(m->getValue<int>("total_requests"), 8); // authenticate + 5 pings + 1 unknown + this call
	EXPECT_DOUBLE_EQ(m->getValue<double>("error_rate"), 1.0 / 8.0);
	EXPECT_GE(m->getValue<double>("average_response_time"), 0.0);
	EXPECT_LT(m->getValue<double>("average_response_time"), 100.0);
	double memory = m->getValue<double>("memory_usage");
	EXPECT_GT(memory, 0.0);
	EXPECT_LT(memory, 50.0);
	EXPECT_GE(m->getValue<double>("cpu_usage"), 0.0);
	EXPECT_LE(m->getValue<double>("cpu_usage"), 100.0);
	EXPECT_GE(m->getValue<int>("goroutines"), 4); // threads: main, I/O, workers, ...
#ifdef __SANITIZE_ADDRESS__
	// AddressSanitizer's allocator answers mallinfo2() with zeros (scripts/sanitize.sh).
	EXPECT_GE(m->getValue<Poco::Int64>("heap_alloc"), 0);
#else
	EXPECT_GT(m->getValue<Poco::Int64>("heap_alloc"), 0);
#endif
	EXPECT_EQ(m->getObject("methods")->getObject("ping")->getValue<int>("calls"), 5);
	EXPECT_EQ(m->getObject("methods")->getObject("ping")->getValue<int>("errors"), 0);
	EXPECT_TRUE(m->has("uptime"));
	EXPECT_TRUE(m->has("cameras"));
	EXPECT_TRUE(m->has("recordings_in_progress"));
	// Fields existing dashboards read beyond the seed: disk_usage (percent of the state directory's file system here).
	double disk = m->getValue<double>("disk_usage");
	EXPECT_GT(disk, 0.0);
	EXPECT_LE(disk, 100.0);
}

TEST(MetricsPlugin, RolesAreEnforced)
{
	ServerProcess server(metricsServer());
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	EXPECT_EQ(viewer.errorCode("get_metrics"), -32003);
	EXPECT_EQ(viewer.errorCode("get_status"), -32003);
	auto info = viewer.result("get_server_info").extract<Object::Ptr>();
	EXPECT_EQ(info->getValue<std::string>("name"), "camera-service");
	EXPECT_FALSE(info->getValue<std::string>("version").empty());
	EXPECT_EQ(info->getValue<std::string>("build_date").size(), std::string("2026-12-01").size());
	EXPECT_EQ(info->getValue<std::string>("build_date")[4], '-');
	EXPECT_FALSE(info->getValue<std::string>("architecture").empty());
	EXPECT_EQ(info->getValue<int>("max_cameras"), 64);
	bool metricsListed = false;
	auto plugins = info->getArray("plugins");
	for (std::size_t i = 0; i < plugins->size(); ++i)
		metricsListed = metricsListed || (plugins->getObject(static_cast<unsigned>(i))->getValue<std::string>("name") == "metrics"
			&& plugins->getObject(static_cast<unsigned>(i))->getValue<std::string>("state") == "started");
	EXPECT_TRUE(metricsListed);
	RpcClient anonymous(server.port());
	EXPECT_EQ(anonymous.errorCode("get_server_info"), -32001);
}

TEST(MetricsPlugin, StatusAndReadinessFollowComponentHealth)
{
	ServerProcess server(metricsServer());
	RpcClient admin(server.port());
	admin.authenticateAs("admin");
	EXPECT_EQ(admin.result("get_status").extract<Object::Ptr>()->getValue<std::string>("status"), "HEALTHY");
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health/ready").first, 200);
	admin.result("test.health", RpcClient::params({{"component", "camera_bus"}, {"status", "degraded"}}));
	EXPECT_EQ(admin.result("get_status").extract<Object::Ptr>()->getValue<std::string>("status"), "DEGRADED");
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health/ready").first, 200);
	admin.result("test.health", RpcClient::params({{"component", "camera_bus"}, {"status", "unhealthy"}}));
	auto status = admin.result("get_status").extract<Object::Ptr>();
	EXPECT_EQ(status->getValue<std::string>("status"), "UNHEALTHY");
	EXPECT_EQ(status->getObject("component_details")->getObject("camera_bus")->getValue<std::string>("status"), "unhealthy");
	// What dashboards read: one word per component.
	auto components = status->getObject("components");
	EXPECT_EQ(components->getValue<std::string>("camera_bus"), "ERROR");
	EXPECT_EQ(components->getValue<std::string>("websocket_server"), "RUNNING");
	EXPECT_EQ(components->getValue<std::string>("camera_monitor"), "STOPPED"); // no cameras plugin here
	EXPECT_EQ(components->getValue<std::string>("mediamtx"), "STOPPED");
	RpcClient viewer(server.port());
	viewer.authenticateAs("viewer");
	auto system = viewer.result("get_system_status").extract<Object::Ptr>();
	EXPECT_EQ(system->getValue<std::string>("status"), "partial");
	EXPECT_NE(system->getValue<std::string>("message").find("camera_bus"), std::string::npos);
	EXPECT_EQ(system->getArray("available_cameras")->size(), 0u);
	EXPECT_FALSE(system->getValue<bool>("discovery_active"));
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health/ready").first, 503);
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200); // liveness stays up
	admin.result("test.health", RpcClient::params({{"component", "camera_bus"}, {"status", "healthy"}}));
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health/ready").first, 200);
	EXPECT_EQ(viewer.result("get_system_status").extract<Object::Ptr>()->getValue<std::string>("status"), "ready");
}

TEST(MetricsPlugin, PrometheusEndpointIsValidTextFormatAndNeedsAuth)
{
	ServerProcess server(metricsServer());
	EXPECT_EQ(httpRequest(server.port(), "GET", "/metrics").first, 401);
	EXPECT_EQ(httpRequest(server.port(), "GET", "/metrics", testToken("viewer")).first, 403);
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	for (int i = 0; i < 3; ++i)
		client.result("ping");
	auto [status, body] = httpRequest(server.port(), "GET", "/metrics", testToken("admin"));
	ASSERT_EQ(status, 200);
	auto values = parsePrometheus(body);
	EXPECT_EQ(values["camsvc_rpc_requests_total{method=\"ping\"}"], 3);
	EXPECT_EQ(values["camsvc_rpc_request_duration_seconds_count{method=\"ping\"}"], 3);
	EXPECT_EQ(values["camsvc_rpc_request_duration_seconds_bucket{method=\"ping\",le=\"+Inf\"}"], 3);
	EXPECT_EQ(values["camsvc_connections_active"], 1);
	EXPECT_GT(values["camsvc_process_resident_memory_bytes"], 0);
	// Buckets are cumulative: never decreasing, ending at _count.
	double previous = 0;
	int buckets = 0;
	std::istringstream in(body);
	std::string line;
	while (std::getline(in, line))
	{
		if (line.rfind("camsvc_rpc_request_duration_seconds_bucket{method=\"ping\"", 0) != 0)
			continue;
		double v = std::stod(line.substr(line.rfind(' ') + 1));
		EXPECT_GE(v, previous) << line;
		previous = v;
		++buckets;
	}
	EXPECT_GE(buckets, 10);
}

TEST(MetricsPlugin, PrometheusEndpointCanBeOpen)
{
	ServerProcess server(metricsServer({{"metrics.require_auth", "false"}}));
	auto [status, body] = httpRequest(server.port(), "GET", "/metrics");
	EXPECT_EQ(status, 200);
	EXPECT_FALSE(parsePrometheus(body).empty());
}

TEST(SystemMethods, SubscriptionsFilterNotifications)
{
	ServerProcess server(metricsServer());
	RpcClient listener(server.port());
	listener.authenticateAs("viewer");
	RpcClient publisher(server.port());
	publisher.authenticateAs("viewer");

	auto unknown = listener.call("subscribe_events", RpcClient::params({{"topics", Poco::JSON::Array::Ptr(new Poco::JSON::Array)}}));
	EXPECT_EQ(unknown->getObject("error")->getValue<int>("code"), -32602);
	Poco::JSON::Array::Ptr bogus = new Poco::JSON::Array;
	bogus->add("no_such_topic");
	auto named = listener.result("subscribe_events", RpcClient::params({{"topics", bogus}})).extract<Object::Ptr>();
	EXPECT_FALSE(named->getValue<bool>("subscribed")); // not an error: the unknown topic is named
	EXPECT_EQ(named->getArray("unknown_topics")->getElement<std::string>(0), "no_such_topic");

	Poco::JSON::Array::Ptr other = new Poco::JSON::Array;
	other->add("test_other");
	auto subscribed = listener.result("subscribe_events", RpcClient::params({{"topics", other}})).extract<Object::Ptr>();
	EXPECT_TRUE(subscribed->getValue<bool>("subscribed"));
	publisher.result("test.publish");
	EXPECT_FALSE(listener.nextNotification(500)); // filtered out

	Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
	events->add("test_event");
	listener.result("subscribe_events", RpcClient::params({{"topics", events}}));
	publisher.result("test.publish");
	auto n = listener.nextNotification(3000);
	ASSERT_TRUE(n);
	EXPECT_EQ(n->getValue<std::string>("method"), "test_event");

	listener.result("unsubscribe_events", RpcClient::params({{"topics", events}}));
	publisher.result("test.publish");
	EXPECT_FALSE(listener.nextNotification(500));
}

TEST(SystemMethods, RpcDiscoverListsEveryRegisteredMethod)
{
	ServerProcess server(metricsServer());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto doc = client.result("rpc.discover").extract<Object::Ptr>();
	EXPECT_EQ(doc->getValue<std::string>("openrpc").substr(0, 2), "1.");
	std::map<std::string, Object::Ptr> methods;
	auto list = doc->getArray("methods");
	for (std::size_t i = 0; i < list->size(); ++i)
		methods[list->getObject(static_cast<unsigned>(i))->getValue<std::string>("name")] = list->getObject(static_cast<unsigned>(i));
	for (const char* name: {"authenticate", "ping", "subscribe_events", "unsubscribe_events", "rpc.discover",
			"get_metrics", "get_status", "get_server_info", "test.publish", "test.sleep", "test.echo", "test.health"})
		EXPECT_TRUE(methods.count(name)) << name;
	auto sleep = methods["test.sleep"];
	EXPECT_EQ(sleep->getValue<std::string>("x-min-role"), "viewer");
	auto param = sleep->getArray("params")->getObject(0);
	EXPECT_EQ(param->getValue<std::string>("name"), "ms");
	EXPECT_TRUE(param->getValue<bool>("required"));
	EXPECT_EQ(param->getObject("schema")->getValue<std::string>("type"), "integer");
	EXPECT_EQ(methods["get_metrics"]->getValue<std::string>("x-min-role"), "admin");
	EXPECT_EQ(methods["authenticate"]->getValue<std::string>("x-min-role"), "none");
	// The same description drives validation.
	EXPECT_EQ(client.errorCode("test.sleep", RpcClient::params({{"ms", "ten"}})), -32602);
}

} // namespace
