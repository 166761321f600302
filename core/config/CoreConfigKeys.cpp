//
// CoreConfigKeys.cpp
//
// The defaults are the ones the code falls back to (NetConfig, RpcEngine
// limits, LoggingSetup, ServiceApplication); etc/camera-service.properties and
// the docs' key tables are checked against these declarations (core_config_test).
//

#include "config/CoreConfigKeys.h"
#include "config/ConfigValidator.h"
#include "http/ClientAddress.h"

#ifndef CAMSVC_PLUGIN_SUBDIR
#define CAMSVC_PLUGIN_SUBDIR "lib/camera-service/plugins"
#endif

namespace camsvc::core {

namespace {

using sdk::ConfigKey;
using sdk::ConfigType;

const std::vector<std::string> LogLevels{"none", "fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"};

std::string octalMode(const std::string& value)
{
	bool octal = !value.empty() && value.size() <= 4 && value.find_first_not_of("01234567") == std::string::npos;
	return octal ? "" : "an octal mode such as 027";
}

std::string networkList(const std::string& value)
	/// Comma- or space-separated, as parseTrustedProxies() and the reactor's exemption list read them.
{
	try
	{
		parseTrustedProxies(value);
		return "";
	}
	catch (const Poco::Exception& e)
	{
		std::string why = e.message();
		why = why.substr(why.find(": ") == std::string::npos ? 0 : why.find(": ") + 2);
		return "IP addresses or CIDR networks, comma-separated (" + why + ")";
	}
}

void declareServer(ConfigKeyTable& t)
{
	t.declare(ConfigKey("server.host", ConfigType::String, "0.0.0.0", "Listen address of HTTP + WebSocket"));
	t.declare(ConfigKey("server.port", ConfigType::Integer, "8002", "Listen port of HTTP + WebSocket").range(1, 65535));
	t.declare(ConfigKey("server.backlog", ConfigType::Integer, "4096", "Listen backlog").range(1, 1 << 20));
	t.declare(ConfigKey("server.io_threads", ConfigType::Integer, "2", "Epoll I/O threads serving every connection").range(1, 256));
	t.declare(ConfigKey("server.worker_threads", ConfigType::Integer, "8", "Threads running calls that may block and plugin HTTP routes").range(1, 1024));
	t.declare(ConfigKey("server.max_connections", ConfigType::Integer, "20000", "Connections at once").range(1, 10000000));
	t.declare(ConfigKey("server.max_connections_per_address", ConfigType::Integer, "256", "Connections from one client address").range(1, 10000000));
	t.declare(ConfigKey("server.connection_limit_exempt", ConfigType::String, "127.0.0.0/8, ::1", "Addresses/networks without the per-address limit"));
	t.addCheck("server.connection_limit_exempt", networkList);
	t.declare(ConfigKey("server.websocket.path", ConfigType::String, "/ws", "Path of the JSON-RPC WebSocket endpoint").maxLen(256));
	t.declare(ConfigKey("server.websocket.max_message_size", ConfigType::Integer, "1048576", "Bytes of a WebSocket message (1009)").range(1024, 1 << 30));
	t.declare(ConfigKey("server.websocket.max_unauthenticated_message_size", ConfigType::Integer, "65536",
		"Bytes of a message before the connection has authenticated").range(1024, 1 << 30));
	t.declare(ConfigKey("server.websocket.auth_timeout", ConfigType::Integer, "30", "Seconds a WebSocket may stay unauthenticated; 0 = never").range(0, 86400));
	t.declare(ConfigKey("server.websocket.send_queue_limit", ConfigType::Integer, "4194304", "Bytes queued for a client that does not read").range(4096, 1LL << 32));
	t.declare(ConfigKey("server.websocket.idle_timeout", ConfigType::Integer, "300", "Seconds without a frame before closing; 0 = never").range(0, 86400));
	t.declare(ConfigKey("server.rpc.max_running_per_connection", ConfigType::Integer, "2", "A connection's calls running on workers at once").range(1, 1024));
	t.declare(ConfigKey("server.rpc.max_queued_per_connection", ConfigType::Integer, "32", "A connection's calls waiting for its share").range(0, 1000000));
	t.declare(ConfigKey("server.rpc.max_queued_bytes_per_connection", ConfigType::Integer, "4194304", "Bytes of those waiting calls").range(0, 1LL << 32));
	t.declare(ConfigKey("server.rpc.max_batch_size", ConfigType::Integer, "1000", "Entries of one JSON-RPC batch").range(1, 1000000));
	t.declare(ConfigKey("server.http.max_header_size", ConfigType::Integer, "16384", "Bytes of an HTTP request head (431)").range(1024, 1 << 24));
	t.declare(ConfigKey("server.http.header_timeout", ConfigType::Integer, "10", "Seconds for a head to arrive").range(1, 3600));
	t.declare(ConfigKey("server.http.max_body_size", ConfigType::Integer, "1048576", "Bytes of a request body (413)").range(0, 1LL << 32));
	t.declare(ConfigKey("server.http.body_timeout", ConfigType::Integer, "30", "Seconds for the body after the head").range(1, 3600));
	t.declare(ConfigKey("server.http.keepalive_timeout", ConfigType::Integer, "30", "Seconds an idle keep-alive connection is kept").range(1, 3600));
	t.declare(ConfigKey("server.http.send_timeout", ConfigType::Integer, "60", "Seconds a response may make no progress").range(1, 3600));
	t.declare(ConfigKey("server.shutdown_timeout", ConfigType::Integer, "5", "Seconds calls in flight may take to finish at SIGTERM").range(0, 3600));
	t.declare(ConfigKey("server.umask", ConfigType::String, "027", "File mode mask (octal) of everything the service writes"));
	t.addCheck("server.umask", octalMode);
	t.declare(ConfigKey("server.trusted_proxies", ConfigType::String, "", "Reverse proxies whose X-Forwarded-For / Forwarded name the client"));
	t.addCheck("server.trusted_proxies", networkList);
	t.declare(ConfigKey("server.tls.certificate", ConfigType::Path, "", "PEM certificate chain: with the key, the port speaks only TLS 1.2+"));
	t.declare(ConfigKey("server.tls.private_key", ConfigType::Path, "", "PEM private key of the certificate"));
	t.declare(ConfigKey("server.tls.handshake_timeout", ConfigType::Integer, "10", "Seconds to complete the TLS handshake").range(1, 3600));
	t.declare(ConfigKey("server.metrics.timing", ConfigType::Boolean, "true", "Measure every call's latency"));
}

} // namespace

void declareCoreConfig(ConfigKeyTable& t)
{
	t.setOwner("core");
	declareServer(t);
	t.declare(ConfigKey("state.directory", ConfigType::Path, "/var/lib/camera-service", "The service's own files; created with mode 0700"));
	t.declare(ConfigKey("plugins.directory", ConfigType::Path, "${application.dir}../" CAMSVC_PLUGIN_SUBDIR, "Where plugins (<name>.so) are"));
	t.declare(ConfigKey("plugins.enabled", ConfigType::List, DefaultPlugins, "Which plugins to load, comma-separated"));
	t.declare(ConfigKey("logging.level", ConfigType::String, "information", "Root log level").values(LogLevels).live());
	t.declare(ConfigKey("logging.levels", ConfigType::String, "", "Level per logger and its children: logging.levels.<logger>").values(LogLevels).family().live());
	t.declare(ConfigKey("logging.file", ConfigType::Path, "", "Log file; empty = standard error"));
	t.declare(ConfigKey("logging.file.rotation", ConfigType::String, "10 M", "Rotate the log file at this size"));
	t.declare(ConfigKey("logging.file.archive_count", ConfigType::Integer, "5", "Rotated log files kept").range(1, 1000));
	t.declare(ConfigKey("logging.pattern", ConfigType::String, "%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t", "Poco PatternFormatter pattern of a log line (UTC)"));
}

std::vector<std::string> coreConfigRules(const EffectiveConfig& config)
{
	std::vector<std::string> problems;
	bool certificate = !config.value("server.tls.certificate").empty();
	bool key = !config.value("server.tls.private_key").empty();
	if (certificate != key)
	{
		const char* set = certificate ? "server.tls.certificate" : "server.tls.private_key";
		const char* missing = certificate ? "server.tls.private_key" : "server.tls.certificate";
		problems.push_back(problemLine(config.origin(set), set, config.value(set), std::string(missing) + " set too (TLS needs both or neither)"));
	}
	return problems;
}

} // namespace camsvc::core
