#include "plugin/PluginContext.h"
#include "events/EventBus.h"
#include "http/RouteRegistry.h"
#include "metrics/MetricsRegistry.h"
#include "net/Connection.h"
#include "net/WebSocketServer.h"
#include "plugin/Records.h"
#include "rpc/Json.h"
#include "rpc/MethodRegistry.h"
#include "rpc/RpcEngine.h"
#include "services/FeatureRegistry.h"
#include "services/HealthRegistry.h"
#include "services/ServiceRegistry.h"
#include <stdexcept>

namespace camsvc::core {

PluginContext::PluginContext(std::string pluginName, HostServices& services):
	_name(std::move(pluginName)), _services(services), _logger(Poco::Logger::get("plugin." + _name))
{
}

void PluginContext::requireLoading(const char* what) const
{
	if (!_loading)
		throw std::logic_error(std::string(what) + " is allowed in load() only (plugin " + _name + ")");
}

void PluginContext::unregisterAll()
{
	_services.methods.removeOwner(_name);
	_services.routes.removeOwner(_name);
	_services.events.removeOwner(_name);
	_services.services.removeOwner(_name);
	_services.health.removeOwner(_name);
	_services.features.removeOwner(_name);
}

const Poco::Util::AbstractConfiguration& PluginContext::config() const
{
	return _services.config;
}

Poco::Logger& PluginContext::logger() const
{
	return _logger;
}

std::string PluginContext::stateDirectory() const
{
	return _services.stateDirectory;
}

void PluginContext::addMethod(const Poco::JSON::Object::Ptr& record, sdk::MethodHandler handler)
{
	requireLoading("registerMethod");
	sdk::MethodSpec spec = methodSpecFromRecord(record);
	if (spec.name.rfind("rpc.", 0) == 0)
		throw std::invalid_argument("method names starting with 'rpc.' are reserved");
	_services.methods.add(_name, spec, std::move(handler));
}

void PluginContext::declareNotification(const std::string& name, const std::string& summary)
{
	requireLoading("declareNotification");
	_services.events.declare(_name, name, summary);
}

void PluginContext::publish(const std::string& name, Poco::JSON::Object::Ptr params)
{
	_services.events.publish(name, std::move(params));
}

void PluginContext::addHttpRoute(const Poco::JSON::Object::Ptr& record, sdk::HttpHandler handler)
{
	requireLoading("registerHttpRoute");
	_services.routes.add(_name, httpRouteFromRecord(record), std::move(handler));
}

void PluginContext::provideService(const std::string& name, std::shared_ptr<void> service)
{
	requireLoading("provideService");
	_services.services.provide(_name, name, std::move(service));
}

std::shared_ptr<void> PluginContext::findService(const std::string& name) const
{
	return _services.services.find(name);
}

void PluginContext::reportHealth(const std::string& component, sdk::Health health, const std::string& detail)
{
	_services.health.report(_name, component, health, detail);
}

sdk::Counter& PluginContext::counter(const std::string& name, const std::string& help)
{
	return _services.metrics.counter(name, help);
}

sdk::Gauge& PluginContext::gauge(const std::string& name, const std::string& help)
{
	return _services.metrics.gauge(name, help);
}

std::size_t PluginContext::endSessions(const std::string& method, const std::string& userId, const std::string& reason)
{
	std::size_t ended = 0;
	_services.connections.forEachConnection([&](Connection& c) {
		if (c.session().endIf(method, userId, reason))
			++ended;
	});
	if (ended)
		_logger.information("signed out %z connection(s) of %s %s: %s", ended, method, userId, reason);
	return ended;
}

void PluginContext::listenToNotifications(sdk::NotificationListener listener)
{
	requireLoading("listenToNotifications");
	_services.events.listen(_name, std::move(listener));
}

void PluginContext::declareFeature(const std::string& capability, const std::vector<std::string>& formats)
{
	requireLoading("declareFeature");
	_services.features.declare(_name, capability, formats);
}

Poco::Dynamic::Var PluginContext::callAs(const std::string& method, Poco::JSON::Object::Ptr params, const Poco::JSON::Object::Ptr& identity)
{
	// The request goes through RpcEngine::execute() like a client's, on a
	// session of its own bound to identity, so roles, validation, guards and
	// metrics are exactly a client's; the answer is unwrapped again.
	Session session(0, "plugin:" + _name);
	session.bind(identityFromRecord(identity));
	Poco::JSON::Object::Ptr request = new Poco::JSON::Object;
	request->set("jsonrpc", "2.0");
	request->set("id", 1);
	request->set("method", method);
	if (params)
		request->set("params", params);
	RpcEngine::Message message;
	message.json = request;
	message.parsed = true;
	auto response = parseJson(_services.rpc.execute(message, session)).extract<Poco::JSON::Object::Ptr>();
	if (auto error = response->getObject("error"))
		throw sdk::RpcError(error->getValue<int>("code"), error->getValue<std::string>("message"), error->getObject("data"));
	return response->get("result");
}

} // namespace camsvc::core
