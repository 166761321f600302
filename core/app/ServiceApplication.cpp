#include "app/ServiceApplication.h"
#include "app/LoggingSetup.h"
#include "config/CoreConfigKeys.h"
#include "config/ServiceConfig.h"
#include "events/EventBus.h"
#include "http/HttpRouter.h"
#include "http/RouteRegistry.h"
#include "metrics/CoreMetrics.h"
#include "metrics/MetricsRegistry.h"
#include "net/Reactor.h"
#include "net/WebSocketServer.h"
#include "plugin/PluginManager.h"
#include "rpc/AuthGateway.h"
#include "rpc/CoreMethods.h"
#include "rpc/SystemMethods.h"
#include "services/Introspection.h"
#include "rpc/MethodRegistry.h"
#include "rpc/RpcEngine.h"
#include "services/HealthRegistry.h"
#include "services/ServiceRegistry.h"
#include "camsvc/sdk/Time.h"
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <filesystem>
#include <iostream>
#include <csignal>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

#ifndef CAMSVC_VERSION
#define CAMSVC_VERSION "0.0.0"
#endif

using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace camsvc {
namespace core {

namespace {

void raiseFileLimit()
{
	// Every WebSocket client is a file descriptor: allow as many as the hard limit.
	rlimit limit{};
	if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
	{
		limit.rlim_cur = limit.rlim_max;
		::setrlimit(RLIMIT_NOFILE, &limit);
	}
}

std::string prepareStateDirectory(const std::string& path)
{
	std::filesystem::create_directories(path);
	::chmod(path.c_str(), 0700);
	return std::filesystem::canonical(path).string();
}

std::vector<std::string> splitList(const std::string& list)
{
	std::vector<std::string> items;
	Poco::StringTokenizer tokens(list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& t: tokens)
		items.push_back(t);
	return items;
}

Poco::Net::Context::Ptr tlsContext(const std::string& certificate, const std::string& privateKey)
	/// TLS 1.2+ with the configured PEM certificate chain and key; clients are not asked for certificates.
{
	if (certificate.empty() || privateKey.empty())
		throw Poco::InvalidArgumentException("server.tls.certificate and server.tls.private_key must both be set");
	Poco::Net::initializeSSL();
	Poco::Net::Context::Params params;
	params.certificateFile = certificate;
	params.privateKeyFile = privateKey;
	params.verificationMode = Poco::Net::Context::VERIFY_NONE;
	params.loadDefaultCAs = false;
	params.cipherList = "HIGH:!aNULL:!MD5:!3DES:!RC4:@STRENGTH";
	Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
	context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
	context->enableSessionCache(true, "camera-service");
	return context;
}

std::chrono::seconds seconds(const Poco::Util::AbstractConfiguration& config, const std::string& key, std::chrono::seconds fallback)
{
	return std::chrono::seconds(config.getInt(key, static_cast<int>(fallback.count())));
}

NetConfig netConfig(const Poco::Util::AbstractConfiguration& config)
	/// Every bound of the port, from its documented key (README "Limits").
{
	NetConfig n;
	n.ioThreads = config.getUInt("server.io_threads", n.ioThreads);
	n.maxConnections = config.getUInt64("server.max_connections", n.maxConnections);
	n.maxConnectionsPerAddress = config.getUInt64("server.max_connections_per_address", n.maxConnectionsPerAddress);
	if (config.has("server.connection_limit_exempt"))
		n.unlimitedAddresses = splitList(config.getString("server.connection_limit_exempt"));
	n.tlsHandshakeTimeout = seconds(config, "server.tls.handshake_timeout", n.tlsHandshakeTimeout);
	n.http.maxHeadBytes = config.getUInt64("server.http.max_header_size", n.http.maxHeadBytes);
	n.http.maxBodyBytes = config.getUInt64("server.http.max_body_size", n.http.maxBodyBytes);
	n.headerTimeout = seconds(config, "server.http.header_timeout", n.headerTimeout);
	n.bodyTimeout = seconds(config, "server.http.body_timeout", n.bodyTimeout);
	n.keepAliveTimeout = seconds(config, "server.http.keepalive_timeout", n.keepAliveTimeout);
	n.sendTimeout = seconds(config, "server.http.send_timeout", n.sendTimeout);
	n.webSocketPath = config.getString("server.websocket.path", n.webSocketPath);
	n.maxMessageBytes = config.getUInt64("server.websocket.max_message_size", n.maxMessageBytes);
	n.maxUnauthenticatedMessageBytes = config.getUInt64("server.websocket.max_unauthenticated_message_size", n.maxUnauthenticatedMessageBytes);
	n.maxSendQueueBytes = config.getUInt64("server.websocket.send_queue_limit", n.maxSendQueueBytes);
	n.idleTimeout = seconds(config, "server.websocket.idle_timeout", n.idleTimeout);
	n.authTimeout = seconds(config, "server.websocket.auth_timeout", n.authTimeout);
	n.workerThreads = config.getUInt("server.worker_threads", n.workerThreads);
	n.maxRunningPerConnection = config.getUInt("server.rpc.max_running_per_connection", n.maxRunningPerConnection);
	n.maxQueuedPerConnection = config.getUInt64("server.rpc.max_queued_per_connection", n.maxQueuedPerConnection);
	n.maxQueuedBytesPerConnection = config.getUInt64("server.rpc.max_queued_bytes_per_connection", n.maxQueuedBytesPerConnection);
	return n;
}

mode_t fileModeMask(const std::string& text)
	/// server.umask is octal, as umask(1) writes it: "027" (the declaration's
	/// check refused anything else). Read as a decimal number it would be 033
	/// and leave files readable by everyone.
{
	return static_cast<mode_t>(std::stoul(Poco::trim(text), nullptr, 8) & 0777);
}

constexpr const char* EssentialPlugin = "auth";
	/// Enabled, it must run: the service never serves unauthenticated by accident.

void startLogging(const Poco::Util::AbstractConfiguration& config)
{
	try
	{
		setupLogging(config);
	}
	catch (const Poco::Exception&)
	{
		// A bad logging.* value: the configuration check names it; until then the default console log.
	}
}

} // namespace

void ServiceApplication::defineOptions(Poco::Util::OptionSet& options)
{
	ServerApplication::defineOptions(options); // --daemon, --pidfile, --umask
	options.addOption(Option("help", "h", "Show this help and exit.")
		.required(false).repeatable(false).callback(OptionCallback<ServiceApplication>(this, &ServiceApplication::handleHelp)));
	options.addOption(Option("config", "c", "Load configuration from FILE (properties).")
		.required(false).repeatable(false).argument("FILE")
		.callback(OptionCallback<ServiceApplication>(this, &ServiceApplication::handleConfig)));
	options.addOption(Option("define", "D", "Set a configuration key, overriding the file. Repeatable.")
		.required(false).repeatable(true).argument("key=value")
		.callback(OptionCallback<ServiceApplication>(this, &ServiceApplication::handleDefine)));
	options.addOption(Option("check-config", "t", "Check the configuration, print every key with its value and origin, exit (0 valid, 78 not).")
		.required(false).repeatable(false)
		.callback(OptionCallback<ServiceApplication>(this, &ServiceApplication::handleCheckConfig)));
	options.addOption(Option("print-declarations", "", "Print every declared configuration key as JSON and exit.")
		.required(false).repeatable(false).noArgument()
		.callback(OptionCallback<ServiceApplication>(this, &ServiceApplication::handlePrintDeclarations)));
}

void ServiceApplication::handleCheckConfig(const std::string&, const std::string&)
{
	_checkConfig = true;
}

void ServiceApplication::handlePrintDeclarations(const std::string&, const std::string&)
{
	_printDeclarations = true;
}

void ServiceApplication::handleHelp(const std::string&, const std::string&)
{
	_helpRequested = true;
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
	help.setUsage("[--config=FILE] [--define key=value ...] [--daemon --pidfile=FILE]");
	help.setHeader("Camera service " CAMSVC_VERSION ": cameras as a WebSocket JSON-RPC 2.0 service.");
	help.setFooter("Every configuration key is documented in etc/camera-service.properties.");
	help.format(std::cout);
	stopOptionsProcessing();
}

void ServiceApplication::handleConfig(const std::string&, const std::string& value)
{
	_configFile = value;
}

void ServiceApplication::handleDefine(const std::string&, const std::string& value)
{
	auto pos = value.find('=');
	if (pos == std::string::npos || pos == 0)
		throw Poco::InvalidArgumentException("--define expects key=value, got: " + value);
	std::string key = Poco::trim(value.substr(0, pos));
	_defines[key] = value.substr(pos + 1);
	config().setString(key, value.substr(pos + 1));
}

void ServiceApplication::initialize(Poco::Util::Application& self)
{
	if (!_configFile.empty())
		_fileLayer = addConfigurationFile(config(), _configFile); // below --define overrides, which live in the application layer
	ServerApplication::initialize(self);
}

int ServiceApplication::main(const std::vector<std::string>&)
{
	if (_helpRequested)
		return EXIT_OK;
	// Every thread inherits a mask with the termination signals and SIGHUP
	// blocked: only the wait below receives them, and a second SIGTERM during
	// shutdown cannot cut the orderly stop short.
	sigset_t termination;
	sigemptyset(&termination);
	sigaddset(&termination, SIGINT);
	sigaddset(&termination, SIGQUIT);
	sigaddset(&termination, SIGTERM);
	sigaddset(&termination, SIGHUP);
	::pthread_sigmask(SIG_BLOCK, &termination, nullptr);
	::signal(SIGPIPE, SIG_IGN);

	const auto& cfg = config();
	bool inspecting = _checkConfig || _printDeclarations; // read-only: no log file, no state, no port
	if (!inspecting)
		startLogging(cfg);
	Poco::Logger& log = Poco::Logger::get("core");

	// Every key of the core and of each enabled plugin is declared and checked before anything starts.
	ServiceConfig serviceConfig(cfg, _configFile, _defines);
	declareCoreConfig(serviceConfig.declarations());
	PluginManager plugins(Poco::Logger::get("core.plugins"));
	plugins.open(cfg.getString("plugins.directory", config().getString("application.dir") + "../" CAMSVC_PLUGIN_SUBDIR),
		splitList(cfg.getString("plugins.enabled", DefaultPlugins)));
	plugins.declareConfig(serviceConfig.declarations());
	if (_printDeclarations)
	{
		serviceConfig.printDeclarations(std::cout);
		return EXIT_OK;
	}
	if (!serviceConfig.check(log))
		return EXIT_CONFIG;
	if (_checkConfig)
	{
		serviceConfig.printEffective(std::cout);
		return EXIT_OK;
	}
	if (std::string why = plugins.failure(EssentialPlugin, PluginManager::State::Opened); !why.empty())
	{
		log.fatal("plugin %s is enabled but cannot be used, so nothing would authenticate: %s", std::string(EssentialPlugin), why);
		return EXIT_UNAVAILABLE;
	}
	::umask(fileModeMask(cfg.getString("server.umask", "027"))); // validated above
	raiseFileLimit();

	std::string stateDir;
	try
	{
		stateDir = prepareStateDirectory(cfg.getString("state.directory", "/var/lib/camera-service"));
	}
	catch (const std::exception& e)
	{
		log.fatal("cannot use state directory: %s", std::string(e.what()));
		return EXIT_CANTCREAT;
	}

	CoreMetrics metrics;
	MethodRegistry methods;
	RouteRegistry routes;
	ServiceRegistry services;
	HealthRegistry health;
	MetricsRegistry pluginMetrics;
	AuthGateway auth(services);
	RpcEngine engine(methods, auth, metrics, Poco::Logger::get("core.rpc"));
	engine.setTiming(cfg.getBool("server.metrics.timing", true));
	RpcEngine::Limits rpcLimits;
	rpcLimits.maxBatch = cfg.getUInt64("server.rpc.max_batch_size", rpcLimits.maxBatch);
	engine.setLimits(rpcLimits);
	std::unique_ptr<Reactor> reactor;
	try
	{
		reactor = std::make_unique<Reactor>(netConfig(cfg), metrics, Poco::Logger::get("core.net"));
	}
	catch (const Poco::Exception& e)
	{
		log.fatal("invalid server configuration: %s", e.displayText());
		return EXIT_CONFIG;
	}
	WebSocketServer webSockets(*reactor, engine, auth, metrics, Poco::Logger::get("core.net"));
	EventBus events(webSockets, metrics, Poco::Logger::get("core.events"));
	registerCoreMethods(methods, auth);
	registerSystemMethods(methods, events);
	auto systemStatus = [&events, &health](const char* event) {
		Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
		params->set("event", event);
		params->set("status", Poco::toUpper(std::string(sdk::healthName(health.overall()))));
		params->set("timestamp", sdk::rfc3339(Poco::Timestamp()));
		events.publish("system_status_update", params);
	};
	health.onOverallChange([systemStatus](sdk::Health) { systemStatus("health"); });

	HostServices hostServices{cfg, stateDir, methods, routes, services, events, health, pluginMetrics, webSockets, engine};
	plugins.setHostServices(hostServices);
	services.provide("core", sdk::ServerIntrospection::ServiceName,
		std::make_shared<Introspection>(metrics, methods, plugins, health, pluginMetrics, events));
	plugins.loadAll();
	auth.bindServices();
	if (std::string why = plugins.failure(EssentialPlugin, PluginManager::State::Loaded); !why.empty())
	{
		log.fatal("plugin %s failed, refusing to run without authentication: %s", std::string(EssentialPlugin), why);
		plugins.stopAll();
		return EXIT_UNAVAILABLE;
	}
	plugins.startAll();
	if (std::string why = plugins.failure(EssentialPlugin, PluginManager::State::Started); !why.empty())
	{
		log.fatal("plugin %s failed, refusing to run without authentication: %s", std::string(EssentialPlugin), why);
		plugins.stopAll();
		return EXIT_UNAVAILABLE;
	}
	if (!services.find(sdk::Authenticator::ServiceName))
		log.warning("no authenticator plugin is running: every protected call will be refused");

	TrustedProxies trustedProxies;
	try
	{
		trustedProxies = parseTrustedProxies(cfg.getString("server.trusted_proxies", ""));
	}
	catch (const Poco::Exception& e)
	{
		log.fatal(e.displayText());
		plugins.stopAll();
		return EXIT_CONFIG;
	}
	std::string host = cfg.getString("server.host", "0.0.0.0");
	int port = cfg.getInt("server.port", 8002);
	std::string certificate = cfg.getString("server.tls.certificate", "");
	std::string privateKey = cfg.getString("server.tls.private_key", "");
	bool secure = !certificate.empty() || !privateKey.empty();
	HttpRouter router(HttpRouterContext{reactor->config().webSocketPath, webSockets, engine, auth, routes, health,
		CAMSVC_VERSION, Poco::Timestamp(), trustedProxies});
	reactor->setHandler(&router);
	try
	{
		if (secure)
			reactor->setTls(tlsContext(certificate, privateKey));
		reactor->listen(host, port, cfg.getInt("server.backlog", 4096));
		reactor->start();
		events.start();
		log.information("camera-service %s listening on %s:%d%s (state %s)", std::string(CAMSVC_VERSION), host, port,
			std::string(secure ? " with TLS" : ""), stateDir);
	}
	catch (const Poco::Exception& e)
	{
		log.fatal("cannot listen on %s:%d: %s", host, port, e.displayText());
		plugins.stopAll();
		return EXIT_UNAVAILABLE;
	}
	health.setStarted(true);
	systemStatus("startup");

	int signal = 0;
	while (::sigwait(&termination, &signal) != 0 || signal == SIGHUP)
	{
		// Reload: the file again (the same --define on top), validated; live keys applied, the rest logged.
		if (signal == SIGHUP && !serviceConfig.reload(_fileLayer.get(), log).changed.empty())
		{
			applyLogLevels(cfg);
			plugins.reloadAll();
		}
		signal = 0;
	}

	log.information("shutting down");
	health.setStarted(false);
	systemStatus("shutdown"); // best effort: delivered while the connections are still open
	reactor->stopAccepting();
	webSockets.shutdown(cfg.getInt("server.shutdown_timeout", 5) * 1000);
	events.stop();
	plugins.stopAll();
	reactor->stop();
	log.information("stopped");
	return EXIT_OK;
}

} } // namespace camsvc::core
