//
// PluginContext.h
//
// The sdk::Host one plugin gets: everything it registers is recorded under
// its name, so the core can remove it again if the plugin fails.
//

#ifndef CAMSVC_CORE_PLUGINCONTEXT_H
#define CAMSVC_CORE_PLUGINCONTEXT_H

#include "camsvc/sdk/Host.h"
#include <atomic>

namespace camsvc::core {

class EventBus;
class FeatureRegistry;
class HealthRegistry;
class MethodRegistry;
class MetricsRegistry;
class RouteRegistry;
class RpcEngine;
class ServiceRegistry;
class WebSocketServer;

struct HostServices
	/// The registries every PluginContext writes into.
{
	const Poco::Util::AbstractConfiguration& config;
	std::string stateDirectory;
	MethodRegistry& methods;
	RouteRegistry& routes;
	ServiceRegistry& services;
	EventBus& events;
	HealthRegistry& health;
	MetricsRegistry& metrics;
	WebSocketServer& connections;
	const RpcEngine& rpc;   // Host::call()
	FeatureRegistry& features;
};

class PluginContext: public sdk::Host
{
public:
	PluginContext(std::string pluginName, HostServices& services);

	void setLoading(bool loading) { _loading = loading; }
	void unregisterAll();
		/// Removes every method, route, notification, service and health entry of this plugin.

	const std::string& pluginName() const override { return _name; }
	const Poco::Util::AbstractConfiguration& config() const override;
	Poco::Logger& logger() const override;
	std::string stateDirectory() const override;
	void addMethod(const Poco::JSON::Object::Ptr& spec, sdk::MethodHandler handler) override;
	void declareNotification(const std::string& name, const std::string& summary) override;
	void publish(const std::string& name, Poco::JSON::Object::Ptr params) override;
	void addHttpRoute(const Poco::JSON::Object::Ptr& route, sdk::HttpHandler handler) override;
	void provideService(const std::string& name, std::shared_ptr<void> service) override;
	std::shared_ptr<void> findService(const std::string& name) const override;
	void reportHealth(const std::string& component, sdk::Health health, const std::string& detail) override;
	sdk::Counter& counter(const std::string& name, const std::string& help) override;
	sdk::Gauge& gauge(const std::string& name, const std::string& help) override;
	std::size_t endSessions(const std::string& method, const std::string& userId, const std::string& reason) override;
	void listenToNotifications(sdk::NotificationListener listener) override;
	Poco::Dynamic::Var callAs(const std::string& method, Poco::JSON::Object::Ptr params, const Poco::JSON::Object::Ptr& identity) override;
	void declareFeature(const std::string& capability, const std::vector<std::string>& formats) override;

private:
	void requireLoading(const char* what) const;

	const std::string _name;
	HostServices& _services;
	Poco::Logger& _logger;
	std::atomic<bool> _loading{false};
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_PLUGINCONTEXT_H
