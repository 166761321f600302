//
// HelloPlugin.cpp
//
// The smallest useful plugin: one JSON-RPC method with a described param
// (the core validates it), a notification, and a config key.
// Enable with plugins.enabled=...,hello and call:
//   {"jsonrpc":"2.0","method":"hello.greet","params":{"name":"Ada"},"id":1}
//

#include <camsvc/sdk/Plugin.h>
#include <atomic>

namespace {

using namespace camsvc::sdk;

class HelloPlugin: public Plugin
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("hello.greeting", ConfigType::String, "Hello", "What hello.greet says first").maxLen(64));
	}

	void load(Host& host) override
	{
		// load(): register only. The host reference stays valid until exit.
		_host = &host;
		_greeting = host.config().getString("hello.greeting", "Hello");
		host.declareNotification("hello_greeted", "Someone was greeted by hello.greet");

		// The spec names the method once, as a literal; the core checks role and params before the handler runs.
		// nonBlocking: microseconds, no I/O, so it may run on the I/O thread.
		host.registerMethod({.name = "hello.greet", .minRole = Role::Viewer, .summary = "Greets someone",
			.params = {ParamSpec("name", ParamType::String, true, "Who to greet").maxLen(64)},
			.resultSummary = "greeting, count", .nonBlocking = true},
			[this](const Poco::JSON::Object::Ptr& params, const CallContext& ctx) {
			// Handlers may run concurrently: only atomics and the thread-safe host here.
			std::string name = params->getValue<std::string>("name");
			if (name.empty())
				throw RpcError::invalidParams("name", "empty", "name must not be empty");
			Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
			result->set("greeting", _greeting + ", " + name);
			result->set("count", ++_count);
			Poco::JSON::Object::Ptr event = new Poco::JSON::Object;
			event->set("name", name);
			event->set("by", ctx.identity.userId);
			_host->publish("hello_greeted", event); // never blocks
			return Poco::Dynamic::Var(result);
		});
	}

	void start() override
	{
		_host->logger().information("hello plugin ready (greeting \"%s\")", _greeting);
	}

private:
	Host* _host = nullptr;
	std::string _greeting;
	std::atomic<int> _count{0};
};

} // namespace

CAMSVC_PLUGIN(HelloPlugin, "hello", "1.0.0", "Example third-party plugin: hello.greet")
