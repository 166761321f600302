//
// Host.h
//
// What the service gives a plugin. A plugin receives its own Host in
// Plugin::load(); the reference stays valid until the process exits.
//
// Threading: every function here is thread-safe unless its comment says
// "load() only". Nothing here blocks for long; publish() never blocks.
// Notification listeners run on the core's event thread and must not
// block; call() blocks for as long as the method it calls.
// ABI: this interface only grows by functions appended at the end. What a
// plugin hands the host (method specs, routes, identities) travels as
// records built by inline code here (sdk/README.md "ABI rules").
// Ownership: the host owns everything it hands out. What a plugin registers
// (methods, routes, notifications, services) is unregistered by the host.
//

#ifndef CAMSVC_SDK_HOST_H
#define CAMSVC_SDK_HOST_H

#include "camsvc/sdk/Errors.h"
#include "camsvc/sdk/Http.h"
#include "camsvc/sdk/Method.h"
#include "camsvc/sdk/Metrics.h"
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace camsvc {
namespace sdk {

using NotificationListener = std::function<void(const std::string& name, const Poco::JSON::Object::Ptr& params)>;
	/// Sees a published notification: its method name and params (shared with
	/// the clients' copy: read-only, never null).

class Host
{
public:
	virtual ~Host() = default;

	virtual const std::string& pluginName() const = 0;
		/// This plugin's name as loaded.

	virtual const Poco::Util::AbstractConfiguration& config() const = 0;
		/// The service's whole configuration (properties file plus --define
		/// overrides), read-only. By convention a plugin reads its own section
		/// ("cameras.*" for the cameras plugin).

	virtual Poco::Logger& logger() const = 0;
		/// The plugin's logger, named "plugin.<name>"; level set from logging.levels.

	virtual std::string stateDirectory() const = 0;
		/// The service's state directory (state.directory): exists, mode 0700.

	void registerMethod(const MethodSpec& spec, MethodHandler handler)
		/// load() only. Adds a JSON-RPC method. Throws std::invalid_argument if
		/// the name is taken or the spec is malformed. The core enforces
		/// spec.minRole and the param specs before the handler runs.
		/// Inline: the spec travels as its record (Method.h).
	{
		addMethod(spec.record(), std::move(handler));
	}

	virtual void addMethod(const Poco::JSON::Object::Ptr& spec, MethodHandler handler) = 0;
		/// load() only. registerMethod() with the spec as a record: members by
		/// name, absent members take their defaults. The host copies what it needs.

	virtual void declareNotification(const std::string& name, const std::string& summary) = 0;
		/// load() only. Declares a notification (an event topic clients can
		/// subscribe to). Publishing an undeclared name is dropped and logged.

	virtual void publish(const std::string& name, Poco::JSON::Object::Ptr params) = 0;
		/// Queues {"jsonrpc":"2.0","method":name,"params":params} for every
		/// authenticated session subscribed to it. Never blocks; the host takes
		/// a shared reference to params, so do not modify them afterwards.

	void registerHttpRoute(const HttpRoute& route, HttpHandler handler)
		/// load() only. Serves requests whose path starts with route.pathPrefix.
		/// Throws std::invalid_argument if the same method+prefix is taken.
		/// Inline: the route travels as its record (Http.h).
	{
		addHttpRoute(route.record(), std::move(handler));
	}

	virtual void addHttpRoute(const Poco::JSON::Object::Ptr& route, HttpHandler handler) = 0;
		/// load() only. registerHttpRoute() with the route as a record.

	virtual void provideService(const std::string& name, std::shared_ptr<void> service) = 0;
		/// load() only. Publishes a service object under a versioned name
		/// (T::ServiceName). The host keeps a reference until exit.

	virtual std::shared_ptr<void> findService(const std::string& name) const = 0;
		/// The service published under name, or null. Services are complete
		/// after every plugin's load(): look them up in start() or later.

	template <class T>
	void provide(std::shared_ptr<T> service)
		/// Typed provideService(): T must declare static constexpr const char* ServiceName.
	{
		provideService(T::ServiceName, std::static_pointer_cast<void>(service));
	}

	template <class T>
	std::shared_ptr<T> find() const
		/// Typed findService(): null if no plugin provides T.
	{
		return std::static_pointer_cast<T>(findService(T::ServiceName));
	}

	virtual void reportHealth(const std::string& component, Health health, const std::string& detail) = 0;
		/// Sets a component's health (get_status, /health/ready). Cheap; call
		/// whenever it changes.

	virtual Counter& counter(const std::string& name, const std::string& help) = 0;
		/// A counter exported as "camsvc_<name>" (name: [a-z0-9_]). The same name
		/// returns the same counter.

	virtual Gauge& gauge(const std::string& name, const std::string& help) = 0;
		/// A gauge exported as "camsvc_<name>". The same name returns the same gauge.

	virtual std::size_t endSessions(const std::string& method, const std::string& userId, const std::string& reason) = 0;
		/// Signs out every connection authenticated as this identity
		/// (Identity::method and userId), e.g. when its API key is revoked:
		/// its calls then fail with -32001 and data.reason = reason, and it
		/// gets no notifications until it authenticates again. Returns how
		/// many were signed out. Thread-safe; any time after load().

	virtual void listenToNotifications(NotificationListener listener) = 0;
		/// load() only. listener sees every notification any plugin publishes
		/// (declared ones, whether or not a client wants them), in publish
		/// order, on the core's event thread: it must return quickly and never
		/// block (copy or reference what it needs and queue it), or every
		/// client's notifications wait. What it throws is logged and dropped.
		/// Notifications the core drops (its queue full) are not seen.

	Poco::Dynamic::Var call(const std::string& method, Poco::JSON::Object::Ptr params, const Identity& identity)
		/// Calls a registered JSON-RPC method as identity, through the core's
		/// normal path: the method's minRole against identity.role (-32003),
		/// param validation (-32602), the request guard's rate limits, the
		/// method's metrics. Returns the result or throws RpcError as a client
		/// would receive it (-32601 for an unknown method). identity.expiresAt
		/// must lie in the future (-32001 otherwise). Blocks for as long as the
		/// method does: call it from the plugin's own thread, never from a
		/// notification listener. params may be null (no params).
		/// Inline: the identity travels as its record (Identity.h).
	{
		return callAs(method, std::move(params), identityRecord(identity));
	}

	virtual Poco::Dynamic::Var callAs(const std::string& method, Poco::JSON::Object::Ptr params, const Poco::JSON::Object::Ptr& identity) = 0;
		/// Any thread after load(); blocks. call() with the identity as a record.

	virtual void declareFeature(const std::string& capability, const std::vector<std::string>& formats) = 0;
		/// load() only. Tells the core what the plugin adds to the service
		/// ("snapshots" with formats {"jpg", "png"}), for get_server_info's
		/// capabilities and supported_formats. formats may be empty.
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_HOST_H
