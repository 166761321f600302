#include "rpc/SystemMethods.h"
#include "camsvc/sdk/Errors.h"
#include "rpc/ParamValidator.h"
#include "rpc/Session.h"
#include <Poco/JSON/Array.h>

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace camsvc::core {

namespace {

constexpr std::size_t MaxTopics = 100; // a list this long is a mistake, never a real subscription

struct Topics
{
	std::set<std::string> known;
	std::set<std::string> unknown; // named in the result; they do not fail the call
};

Topics topicsParam(const Object::Ptr& params, const EventBus& events)
{
	Topics topics;
	auto list = params->getArray("topics");
	if (!list)
		return topics;
	if (list->size() > MaxTopics)
		throw sdk::RpcError::invalidParams("topics", "too_many", "at most 100 topics");
	for (std::size_t i = 0; i < list->size(); ++i)
	{
		Var t = list->get(static_cast<unsigned>(i));
		if (!t.isString())
			throw sdk::RpcError::invalidParams("topics", "wrong_type", "topics must be strings");
		const std::string& name = t.extract<std::string>();
		(events.subscribable(name) ? topics.known : topics.unknown).insert(name);
	}
	return topics;
}

Array::Ptr toArray(const std::set<std::string>& items)
{
	Array::Ptr a = new Array;
	for (const auto& i: items)
		a->add(i);
	return a;
}

Object::Ptr schemaOf(const sdk::ParamSpec& p)
{
	Object::Ptr schema = new Object;
	if (p.type != sdk::ParamType::Any)
		schema->set("type", paramTypeName(p.type));
	if (p.type == sdk::ParamType::Integer || p.type == sdk::ParamType::Number)
	{
		if (p.minimum > -1e300) schema->set("minimum", p.minimum);
		if (p.maximum < 1e300) schema->set("maximum", p.maximum);
	}
	if (p.maxLength)
		schema->set("maxLength", static_cast<Poco::UInt64>(p.maxLength));
	if (!p.oneOf.empty())
	{
		Array::Ptr values = new Array;
		for (const auto& v: p.oneOf)
			values->add(v);
		schema->set("enum", values);
	}
	return schema;
}

} // namespace

Object::Ptr openRpcDocument(const MethodRegistry& methods, const EventBus& events)
{
	Object::Ptr doc = new Object;
	doc->set("openrpc", "1.2.6");
	Object::Ptr info = new Object;
	info->set("title", "camera-service JSON-RPC API");
	info->set("version", CAMSVC_VERSION);
	doc->set("info", info);
	Array::Ptr list = new Array;
	for (const auto& m: methods.all())
	{
		Object::Ptr method = new Object;
		method->set("name", m->spec.name);
		if (!m->spec.summary.empty())
			method->set("summary", m->spec.summary);
		method->set("paramStructure", "by-name");
		Array::Ptr params = new Array;
		for (const auto& p: m->spec.params)
		{
			Object::Ptr param = new Object;
			param->set("name", p.name);
			param->set("required", p.required);
			if (!p.description.empty())
				param->set("description", p.description);
			param->set("schema", schemaOf(p));
			params->add(param);
		}
		method->set("params", params);
		Object::Ptr result = new Object;
		result->set("name", "result");
		if (!m->spec.resultSummary.empty())
			result->set("description", m->spec.resultSummary);
		result->set("schema", Object::Ptr(new Object));
		method->set("result", result);
		method->set("x-min-role", sdk::roleName(m->spec.minRole));
		method->set("x-plugin", m->owner);
		list->add(method);
	}
	doc->set("methods", list);
	Array::Ptr notifications = new Array;
	for (const auto& [name, summary]: events.topics())
	{
		Object::Ptr n = new Object;
		n->set("name", name);
		n->set("summary", summary);
		notifications->add(n);
	}
	doc->set("x-notifications", notifications);
	return doc;
}

void registerSystemMethods(MethodRegistry& methods, EventBus& events)
{
	events.declare("core", "system_status_update", "The service started, its health changed, or it is shutting down");

	methods.addSessionMethod({.name = "subscribe_events",
		.summary = "Receive only these notification topics (every topic until the first subscribe)",
		.params = {sdk::ParamSpec("topics", sdk::ParamType::Array, true,
			"Notification names (camera_status_update) or dotted topics (camera.connected, recording.stop, ...)")},
		.resultSummary = "subscribed, topics, unknown_topics"},
		[&events](const Object::Ptr& params, const sdk::CallContext&, Session& session) {
		auto topics = topicsParam(params, events);
		if (topics.known.empty() && topics.unknown.empty())
			throw sdk::RpcError::invalidParams("topics", "empty", "topics must name at least one topic");
		if (!topics.known.empty())
			session.subscribe(topics.known);
		Object::Ptr result = new Object;
		result->set("subscribed", !topics.known.empty());
		result->set("topics", toArray(session.topics()));
		result->set("unknown_topics", toArray(topics.unknown));
		return Var(result);
	});

	methods.addSessionMethod({.name = "unsubscribe_events",
		.summary = "Stop receiving these topics (all of them when topics is absent or empty)",
		.params = {sdk::ParamSpec("topics", sdk::ParamType::Array, false, "Topic names")},
		.resultSummary = "unsubscribed, topics (still subscribed), unknown_topics"},
		[&events](const Object::Ptr& params, const sdk::CallContext&, Session& session) {
		auto topics = topicsParam(params, events);
		if (!topics.known.empty() || topics.unknown.empty()) // only unknown names remove nothing (not everything)
			session.unsubscribe(topics.known);
		Object::Ptr result = new Object;
		result->set("unsubscribed", true);
		result->set("topics", toArray(session.topics()));
		result->set("unknown_topics", toArray(topics.unknown));
		return Var(result);
	});

	methods.addSessionMethod({.name = "get_subscription_stats", .summary = "Who subscribes to which notification topics",
		.resultSummary = "global_stats{total_subscriptions, active_clients, topic_counts}, client_topics[], client_id"},
		[&events](const Object::Ptr&, const sdk::CallContext&, Session& session) {
		Object::Ptr result = new Object;
		result->set("global_stats", events.subscriptionStats());
		std::set<std::string> own = session.topics();
		if (session.subscribedToAll())
			for (const auto& [name, summary]: events.topics())
				own.insert(name);
		result->set("client_topics", toArray(own));
		result->set("client_id", session.id());
		return Var(result);
	});

	methods.addSessionMethod({.name = "rpc.discover", .summary = "OpenRPC document of every method, plugins' included",
		.resultSummary = "OpenRPC 1.2 document"},
		[&methods, &events](const Object::Ptr&, const sdk::CallContext&, Session&) {
		return Var(openRpcDocument(methods, events));
	});
}

} // namespace camsvc::core
