#include "PrometheusText.h"
#include <Poco/Timestamp.h>
#include <iomanip>
#include <sstream>

namespace camsvc::metrics {

namespace {

class Writer
{
public:
	void family(const std::string& name, const std::string& type, const std::string& help)
	{
		_out << "# HELP camsvc_" << name << ' ' << escapeHelp(help) << '\n';
		_out << "# TYPE camsvc_" << name << ' ' << type << '\n';
	}

	template <class T>
	void sample(const std::string& name, T value, const std::string& labels = "")
	{
		_out << "camsvc_" << name;
		if (!labels.empty())
			_out << '{' << labels << '}';
		_out << ' ' << value << '\n';
	}

	template <class T>
	void single(const std::string& name, const std::string& type, const std::string& help, T value)
	{
		family(name, type, help);
		sample(name, value);
	}

	std::string str() const { return _out.str(); }

	static std::string label(const std::string& key, const std::string& value)
	{
		std::string escaped;
		for (char c: value)
		{
			if (c == '\\' || c == '"') escaped += '\\';
			if (c == '\n') { escaped += "\\n"; continue; }
			escaped += c;
		}
		return key + "=\"" + escaped + "\"";
	}

private:
	static std::string escapeHelp(const std::string& help)
	{
		std::string escaped;
		for (char c: help)
		{
			if (c == '\\') escaped += "\\\\";
			else if (c == '\n') escaped += "\\n";
			else escaped += c;
		}
		return escaped;
	}

	std::ostringstream _out;
};

std::string seconds(std::uint64_t micros)
{
	std::ostringstream os;
	os << std::setprecision(6) << static_cast<double>(micros) / 1e6;
	return os.str();
}

} // namespace

std::string prometheusText(const sdk::ServerIntrospection& server, const ProcessSample& process)
{
	Writer w;
	const auto counters = server.counters();
	const sdk::ServerCounters& c = *counters;
	w.single("uptime_seconds", "gauge", "Seconds since the service started",
		(Poco::Timestamp() - c.startedAt) / Poco::Timestamp::resolution());
	w.single("connections_active", "gauge", "WebSocket connections open now", c.connectionsActive);
	w.single("connections_total", "counter", "WebSocket connections accepted", c.connectionsTotal);
	w.family("connections_closed_total", "counter", "WebSocket connections closed by the server, by reason");
	w.sample("connections_closed_total", c.connectionsClosedSlow, Writer::label("reason", "slow_consumer"));
	w.sample("connections_closed_total", c.connectionsClosedIdle, Writer::label("reason", "idle"));
	w.single("rpc_invalid_messages_total", "counter", "Messages answered -32700 or -32600", c.invalidMessages);
	w.single("rpc_unknown_method_total", "counter", "Calls of methods that do not exist", c.unknownMethodCalls);
	w.single("notifications_sent_total", "counter", "Notifications delivered to sessions", c.notificationsSent);
	w.single("notifications_dropped_total", "counter", "Notifications not delivered (queue full, client gone)", c.notificationsDropped);
	w.single("bytes_received_total", "counter", "WebSocket bytes received", c.bytesIn);
	w.single("bytes_sent_total", "counter", "WebSocket bytes sent", c.bytesOut);

	auto methods = server.methods();
	w.family("rpc_requests_total", "counter", "JSON-RPC calls by method");
	for (const auto& m: sdk::each(methods))
		w.sample("rpc_requests_total", m.calls, Writer::label("method", m.spec.name));
	w.family("rpc_errors_total", "counter", "JSON-RPC calls answered with an error, by method");
	for (const auto& m: sdk::each(methods))
		w.sample("rpc_errors_total", m.errors, Writer::label("method", m.spec.name));
	w.family("rpc_request_duration_seconds", "histogram", "JSON-RPC call latency by method");
	for (const auto& m: sdk::each(methods))
	{
		std::string method = Writer::label("method", m.spec.name);
		std::uint64_t cumulative = 0;
		for (std::size_t i = 0; i < m.bucketCounts.size(); ++i)
		{
			cumulative += m.bucketCounts[i];
			std::string le = i < m.bucketBoundsMicros.size() ? seconds(m.bucketBoundsMicros[i]) : "+Inf";
			w.sample("rpc_request_duration_seconds_bucket", cumulative, method + "," + Writer::label("le", le));
		}
		w.sample("rpc_request_duration_seconds_sum", seconds(m.sumMicros), method);
		w.sample("rpc_request_duration_seconds_count", cumulative, method);
	}

	w.single("process_resident_memory_bytes", "gauge", "Resident memory of the process", process.residentBytes);
	w.single("process_heap_bytes", "gauge", "Bytes allocated through malloc and in use", process.heapBytes);
	w.single("process_cpu_seconds_total", "counter", "User and system CPU time of the process", process.cpuSeconds);
	w.single("process_threads", "gauge", "Threads of the process", process.threads);

	w.family("component_healthy", "gauge", "1 when a component is healthy, 0.5 degraded, 0 unhealthy");
	for (const auto& comp: sdk::each(server.components()))
		w.sample("component_healthy", comp.health == sdk::Health::Healthy ? 1.0 : comp.health == sdk::Health::Degraded ? 0.5 : 0.0,
			Writer::label("component", comp.name));

	for (const auto& m: sdk::each(server.pluginMetrics()))
		w.single(m.name, m.counter ? "counter" : "gauge", m.help, m.value);
	return w.str();
}

} // namespace camsvc::metrics
