#include "app/ServiceApplication.h"
#include "app/LoggingSetup.h"
#include "config/CoreConfigKeys.h"
#include "app/StartPaths.h"
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
#include "services/FeatureRegistry.h"
#include "services/HealthRegistry.h"
#include "services/ServiceRegistry.h"
#include "camsvc/sdk/Time.h"
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <filesystem>
#include <iostream>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

#ifndef CAMSVC_VERSION
#define CAMSVC_VERSION "0.0.0"
#endif

using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace camsvc::core {

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
	Application::defineOptions(options);
	using Handler = void (ServiceApplication::*)(const std::string&, const std::string&);
	struct Row
	{
		const char* name;
		const char* shortName;
		const char* argument; // nullptr: a flag
		bool repeatable;
		Handler handler;
		const char* help;
	};
	static const Row rows[] = {
		{"help", "h", nullptr, false, &ServiceApplication::handleHelp, "Show this help and exit."},
		{"config", "c", "FILE", false, &ServiceApplication::handleConfig, "Load configuration from FILE (properties)."},
		{"define", "D", "key=value", true, &ServiceApplication::handleDefine, "Set a configuration key, overriding the file. Repeatable."},
		{"daemon", "", nullptr, false, &ServiceApplication::handleDaemon, "Run in the background; exit 0 once the service is up, or with its exit code and error if it fails to start."},
		{"pidfile", "", "FILE", false, &ServiceApplication::handlePidFile, "Write the process ID to FILE (locked; refused while a camera-service holds it; removed on exit)."},
		{"umask", "", "MASK", false, &ServiceApplication::handleUmask, "File mode mask (octal, e.g. 027), overriding server.umask."},
		{"check-config", "t", nullptr, false, &ServiceApplication::handleCheckConfig, "Check the configuration, print every key with its value and origin, exit (0 valid, 78 not)."},
		{"print-declarations", "", nullptr, false, &ServiceApplication::handlePrintDeclarations, "Print every declared configuration key as JSON and exit."},
	};
	for (const Row& row: rows)
	{
		Option option(row.name, row.shortName, row.help);
		option.required(false).repeatable(row.repeatable).callback(OptionCallback<ServiceApplication>(this, row.handler));
		if (row.argument)
			option.argument(row.argument);
		options.addOption(option);
	}
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
	help.setUsage("[--config=FILE] [--define key=value ...] [--check-config] [--daemon] [--pidfile=FILE] [--umask=MASK]");
	help.setHeader("Camera service " CAMSVC_VERSION ": cameras as a WebSocket JSON-RPC 2.0 service.");
	help.setFooter("Every configuration key is documented in etc/camera-service.properties and checked before anything "
		"starts; SIGHUP re-reads the file. Relative paths (options and "
		"path keys) are relative to the working directory at start. Exit codes: 0 ok; 73 cannot create a file (state "
		"directory, pid file); 75 already running (the pid file names a live camera-service); 78 invalid configuration; "
		"69 cannot listen, or the enabled auth plugin failed; 70 internal error; 128+N killed by signal N before it was ready (--daemon).");
	help.format(std::cout);
	stopOptionsProcessing();
}

void ServiceApplication::handleConfig(const std::string&, const std::string& value)
{
	_configFileAsGiven = value;
	_configFile = Poco::Path(value).absolute().toString();
}

void ServiceApplication::handleDaemon(const std::string&, const std::string&)
{
	_daemon = true;
}

void ServiceApplication::handlePidFile(const std::string&, const std::string& value)
{
	_pidFilePath = Poco::Path(value).absolute().toString();
}

void ServiceApplication::handleUmask(const std::string&, const std::string& value)
{
	_defines["server.umask"] = value;
	config().setString("server.umask", value); // checked with the key, in checkConfiguration()
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
	_startDirectory = Poco::Path::current();
	resolveStartPaths(config(), pathKeys(), _startDirectory);
	Application::initialize(self);
}

namespace {

class ServiceRuntime
	/// The running service: registries, RPC engine, transport and plugin host,
	/// built and torn down by the steps main() takes in order. Members are
	/// declared in construction order, so they are destroyed in reverse (the
	/// router and plugins before the transport and registries they use).
{
public:
	ServiceRuntime(const Poco::Util::AbstractConfiguration& cfg, std::string stateDir):
		_cfg(cfg),
		_log(Poco::Logger::get("core")),
		_stateDir(std::move(stateDir)),
		_auth(_services),
		_engine(_methods, _auth, _metrics, Poco::Logger::get("core.rpc"))
	{
		_engine.setTiming(cfg.getBool("server.metrics.timing", true));
		RpcEngine::Limits rpcLimits;
		rpcLimits.maxBatch = cfg.getUInt64("server.rpc.max_batch_size", rpcLimits.maxBatch);
		_engine.setLimits(rpcLimits);
	}

	int createTransport()
		/// The reactor (every bound of the port), WebSockets, events and the core's methods.
	{
		try
		{
			_reactor = std::make_unique<Reactor>(netConfig(_cfg), _metrics, Poco::Logger::get("core.net"));
		}
		catch (const Poco::Exception& e)
		{
			_log.fatal("invalid server configuration: %s", e.displayText());
			return Poco::Util::Application::EXIT_CONFIG;
		}
		_webSockets = std::make_unique<WebSocketServer>(*_reactor, _engine, _auth, _metrics, Poco::Logger::get("core.net"));
		_events = std::make_unique<EventBus>(*_webSockets, _metrics, Poco::Logger::get("core.events"));
		registerCoreMethods(_methods, _auth);
		registerSystemMethods(_methods, *_events);
		_health.onOverallChange([this](sdk::Health) { publishSystemStatus("health"); });
		return Poco::Util::Application::EXIT_OK;
	}

	int startPlugins(std::unique_ptr<PluginManager> plugins)
		/// Loads and starts the plugins opened (and checked) before; a plugin
		/// that fails is skipped with its line, except the auth plugin (69).
	{
		_hostServices = std::make_unique<HostServices>(HostServices{_cfg, _stateDir, _methods, _routes, _services,
			*_events, _health, _pluginMetrics, *_webSockets, _engine, _features});
		_plugins = std::move(plugins);
		_plugins->setHostServices(*_hostServices);
		_services.provide("core", sdk::ServerIntrospection::ServiceName,
			std::make_shared<Introspection>(_metrics, _methods, *_plugins, _health, _pluginMetrics, *_events, _features));
		_plugins->loadAll();
		_auth.bindServices();
		if (int rc = requireEssential(PluginManager::State::Loaded); rc != Poco::Util::Application::EXIT_OK)
			return rc;
		_plugins->startAll();
		if (int rc = requireEssential(PluginManager::State::Started); rc != Poco::Util::Application::EXIT_OK)
			return rc;
		if (!_services.find(sdk::Authenticator::ServiceName))
			_log.warning("no authenticator plugin is running: every protected call will be refused");
		return Poco::Util::Application::EXIT_OK;
	}

	int listen()
		/// Binds the port (TLS when configured) and starts serving; on failure the plugins are stopped.
	{
		TrustedProxies trustedProxies;
		try
		{
			trustedProxies = parseTrustedProxies(_cfg.getString("server.trusted_proxies", ""));
		}
		catch (const Poco::Exception& e)
		{
			_log.fatal(e.displayText());
			_plugins->stopAll();
			return Poco::Util::Application::EXIT_CONFIG;
		}
		std::string host = _cfg.getString("server.host", "0.0.0.0");
		int port = _cfg.getInt("server.port", 8002);
		std::string certificate = _cfg.getString("server.tls.certificate", "");
		std::string privateKey = _cfg.getString("server.tls.private_key", "");
		bool secure = !certificate.empty() || !privateKey.empty();
		_router = std::make_unique<HttpRouter>(HttpRouterContext{_reactor->config().webSocketPath, *_webSockets, _engine,
			_auth, _routes, _health, CAMSVC_VERSION, Poco::Timestamp(), trustedProxies});
		_reactor->setHandler(_router.get());
		try
		{
			if (secure)
				_reactor->setTls(tlsContext(certificate, privateKey));
			_reactor->listen(host, port, _cfg.getInt("server.backlog", 4096));
			_reactor->start();
			_events->start();
			_log.information("camera-service %s listening on %s:%d%s (state %s)", std::string(CAMSVC_VERSION), host, port,
				std::string(secure ? " with TLS" : ""), _stateDir);
		}
		catch (const Poco::Exception& e)
		{
			_log.fatal("cannot listen on %s:%d: %s", host, port, e.displayText());
			_plugins->stopAll();
			return Poco::Util::Application::EXIT_UNAVAILABLE;
		}
		_health.setStarted(true);
		publishSystemStatus("startup");
		return Poco::Util::Application::EXIT_OK;
	}

	std::chrono::milliseconds ioStall() const
		/// Any thread, once listening: since when the I/O loop that turned least recently has not (the watchdog's test).
	{
		return _reactor->longestStall();
	}

	void shutdown()
		/// Stops accepting, lets the calls in flight finish, closes clients, stops plugins and the transport.
	{
		_log.information("shutting down");
		_health.setStarted(false);
		publishSystemStatus("shutdown"); // best effort: delivered while the connections are still open
		_reactor->stopAccepting();
		_webSockets->shutdown(_cfg.getInt("server.shutdown_timeout", 5) * 1000);
		_events->stop();
		_plugins->stopAll();
		_reactor->stop();
		_log.information("stopped");
	}

private:
	int requireEssential(PluginManager::State needed)
	{
		std::string why = _plugins->failure(EssentialPlugin, needed);
		if (why.empty())
			return Poco::Util::Application::EXIT_OK;
		_log.fatal("plugin %s failed, refusing to run without authentication: %s", std::string(EssentialPlugin), why);
		_plugins->stopAll();
		return Poco::Util::Application::EXIT_UNAVAILABLE;
	}

	void publishSystemStatus(const char* event)
	{
		Poco::JSON::Object::Ptr params = new Poco::JSON::Object;
		params->set("event", event);
		params->set("status", Poco::toUpper(std::string(sdk::healthName(_health.overall()))));
		params->set("timestamp", sdk::rfc3339(Poco::Timestamp()));
		_events->publish("system_status_update", params);
	}

	const Poco::Util::AbstractConfiguration& _cfg;
	Poco::Logger& _log;
	std::string _stateDir;
	CoreMetrics _metrics;
	MethodRegistry _methods;
	RouteRegistry _routes;
	ServiceRegistry _services;
	HealthRegistry _health;
	FeatureRegistry _features;
	MetricsRegistry _pluginMetrics;
	AuthGateway _auth;
	RpcEngine _engine;
	std::unique_ptr<Reactor> _reactor;
	std::unique_ptr<WebSocketServer> _webSockets;
	std::unique_ptr<EventBus> _events;
	std::unique_ptr<HostServices> _hostServices;
	std::unique_ptr<PluginManager> _plugins;
	std::unique_ptr<HttpRouter> _router;
};

sigset_t terminationSignals()
{
	sigset_t termination;
	sigemptyset(&termination);
	sigaddset(&termination, SIGINT);
	sigaddset(&termination, SIGQUIT);
	sigaddset(&termination, SIGTERM);
	sigaddset(&termination, SIGHUP); // a reload, taken by runUntilStopped() too
	return termination;
}

void blockTerminationSignals()
	/// Every thread inherits a mask with the termination signals blocked: only
	/// runUntilStopped() receives them, and a second SIGTERM during shutdown
	/// cannot cut the orderly stop short.
{
	sigset_t termination = terminationSignals();
	::pthread_sigmask(SIG_BLOCK, &termination, nullptr);
	::signal(SIGPIPE, SIG_IGN);
}

int waitForSignal(const sigset_t& signals, std::chrono::microseconds timeout)
	/// The next of signals; 0 after timeout (0: none) or when the wait was cut short.
{
	if (timeout.count() == 0)
	{
		int signal = 0;
		return ::sigwait(&signals, &signal) == 0 ? signal : 0;
	}
	timespec t{static_cast<time_t>(timeout.count() / 1000000), static_cast<long>(timeout.count() % 1000000) * 1000};
	int signal = ::sigtimedwait(&signals, nullptr, &t);
	return signal > 0 ? signal : 0;
}

} // namespace

int ServiceApplication::prepareProcess(std::string& stateDir, ServiceConfig& serviceConfig, PluginManager& plugins)
{
	blockTerminationSignals();
	const auto& cfg = config();
	Poco::Logger& log = Poco::Logger::get("core");
	if (!inspecting())
	{
		startLogging(cfg);
		if (!cfg.getString("logging.file", "").empty())
			_startupErrors.start();
		else if (_daemon)
			log.information("--daemon without logging.file: log lines are discarded once the service is up");
	}
	if (int rc = checkConfiguration(serviceConfig, plugins); rc != EXIT_OK || inspecting())
		return rc;
	::umask(fileModeMask(cfg.getString("server.umask", "027"))); // checked above
	raiseFileLimit();
	if (int rc = claimPidFile(); rc != EXIT_OK)
		return rc;
	try
	{
		stateDir = prepareStateDirectory(cfg.getString("state.directory", "/var/lib/camera-service"));
	}
	catch (const std::exception& e)
	{
		log.fatal("cannot use state directory: %s", std::string(e.what()));
		return EXIT_CANTCREAT;
	}
	return EXIT_OK;
}

int ServiceApplication::checkConfiguration(ServiceConfig& serviceConfig, PluginManager& plugins)
{
	const auto& cfg = config();
	Poco::Logger& log = Poco::Logger::get("core");
	declareCoreConfig(serviceConfig.declarations());
	plugins.open(cfg.getString("plugins.directory", cfg.getString("application.dir") + "../" CAMSVC_PLUGIN_SUBDIR),
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
		log.fatal("plugin %s failed, refusing to run without authentication: %s", std::string(EssentialPlugin), why);
		return EXIT_UNAVAILABLE;
	}
	return EXIT_OK;
}

int ServiceApplication::claimPidFile()
{
	if (_pidFilePath.empty())
		return EXIT_OK;
	_pidFile = std::make_unique<PidFile>(_pidFilePath);
	return _pidFile->claim(Poco::Logger::get("core"));
}

void ServiceApplication::reportReady()
{
	_startupErrors.stop();
	_daemonStart.ready();
	_notify.ready(servingStatus());
}

std::string ServiceApplication::servingStatus() const
{
	return "serving on " + config().getString("server.host", "0.0.0.0") + ":" + std::to_string(config().getInt("server.port", 8002));
}

void ServiceApplication::runUntilStopped(ServiceConfig& serviceConfig, PluginManager& plugins,
	const std::function<std::chrono::milliseconds()>& ioStall)
{
	sigset_t termination = terminationSignals();
	for (;;)
	{
		int signal = waitForSignal(termination, _notify.watchdogInterval() / 2);
		if (signal == 0)
			feedWatchdog(ioStall());
		else if (signal == SIGHUP)
			reload(serviceConfig, plugins);
		else
			break;
	}
	_notify.stopping();
}

void ServiceApplication::reload(ServiceConfig& serviceConfig, PluginManager& plugins)
{
	// The file again (the same --define on top), checked; live keys applied, the rest logged.
	_notify.reloading();
	if (!serviceConfig.reload(_fileLayer.get(), Poco::Logger::get("core")).changed.empty())
	{
		applyLogLevels(config());
		plugins.reloadAll();
	}
	_notify.ready(servingStatus());
}

void ServiceApplication::feedWatchdog(std::chrono::milliseconds ioStall)
{
	auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(_notify.watchdogInterval());
	if (interval.count() == 0)
		return;
	// An I/O loop turns at least every 250 ms; one that has not for half the interval is stuck.
	auto limit = std::max(interval / 2, std::chrono::milliseconds(1000));
	if (ioStall < limit)
	{
		_watchdogStarved = false;
		_notify.watchdog();
		return;
	}
	if (!_watchdogStarved)
		Poco::Logger::get("core").error("an I/O loop has not turned for %Ld ms: the watchdog is no longer told the service is alive",
			static_cast<Poco::Int64>(ioStall.count()));
	_watchdogStarved = true;
}

int ServiceApplication::serve()
{
	// Every key of the core and of each enabled plugin is declared and checked before anything starts.
	ServiceConfig serviceConfig(config(), _configFile, _configFileAsGiven, _defines, _startDirectory);
	auto plugins = std::make_unique<PluginManager>(Poco::Logger::get("core.plugins"));
	PluginManager& pluginHost = *plugins;
	std::string stateDir;
	int rc = prepareProcess(stateDir, serviceConfig, *plugins);
	if (rc != EXIT_OK || inspecting())
		return rc;
	ServiceRuntime service(config(), stateDir);
	rc = service.createTransport();
	if (rc != EXIT_OK)
		return rc;
	rc = service.startPlugins(std::move(plugins));
	if (rc != EXIT_OK)
		return rc;
	rc = service.listen();
	if (rc != EXIT_OK)
		return rc;
	reportReady();
	runUntilStopped(serviceConfig, pluginHost, [&service] { return service.ioStall(); });
	service.shutdown();
	return EXIT_OK;
}

int ServiceApplication::main(const std::vector<std::string>&)
{
	if (_helpRequested)
		return EXIT_OK;
	if (_daemon)
		_daemonStart.detach(); // returns in the daemon only
	int rc = EXIT_SOFTWARE;
	try
	{
		rc = serve();
	}
	catch (const Poco::Exception& e)
	{
		// What Application::run() would log; here, before the pid file goes and the parent is told.
		Poco::Logger::get("core").fatal(e.displayText());
	}
	catch (const std::exception& e)
	{
		Poco::Logger::get("core").fatal(std::string(e.what()));
	}
	_pidFile.reset(); // removed before a waiting parent exits
	_daemonStart.failed(rc); // nothing once ready() was reported
	_startupErrors.stop();
	return rc;
}

} // namespace camsvc::core
