//
// FuzzRpcEngine.cpp
//
// libFuzzer target: any text through the JSON-RPC engine (parse + dispatch,
// single requests and batches) against test methods of every parameter type
// and role, with a session that authenticates along the way. Whatever comes
// in, the engine must not crash and must answer with valid JSON-RPC: an
// object, or a non-empty array of objects, each with "jsonrpc":"2.0", an
// "id" and exactly one of "result" or "error" (error: integer code, message,
// data.reason).
//

#include "EngineHarness.h"
#include "rpc/AuthGateway.h"
#include "rpc/CoreMethods.h"
#include "rpc/Json.h"
#include "rpc/MethodRegistry.h"
#include "rpc/RpcEngine.h"
#include "services/ServiceRegistry.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <cstdlib>

using namespace camsvc;
using namespace camsvc::core;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace {

struct Engine: test::EngineHarness
{
	Engine(): EngineHarness("fuzz")
	{
		Poco::Logger::root().setLevel("none");
		Poco::Logger::get("fuzz").setLevel("none");
		auto spec = [](const std::string& name, sdk::Role role, std::vector<sdk::ParamSpec> params) {
			sdk::MethodSpec s;
			s.name = name;
			s.minRole = role;
			s.params = std::move(params);
			return s;
		};
		methods.add("fuzz", spec("subtract", sdk::Role::None,
			{{"minuend", sdk::ParamType::Integer, true}, {"subtrahend", sdk::ParamType::Integer, true}}),
			[](const Object::Ptr& p, const sdk::CallContext&) {
				return Var(p->getValue<Poco::Int64>("minuend") / 2 - p->getValue<Poco::Int64>("subtrahend") / 2);
			});
		methods.add("fuzz", spec("typed", sdk::Role::Viewer,
			{sdk::ParamSpec("s", sdk::ParamType::String, true).maxLen(16),
				sdk::ParamSpec("n", sdk::ParamType::Number, false).range(-5, 5),
				sdk::ParamSpec("i", sdk::ParamType::Integer, false).range(1, 1000),
				sdk::ParamSpec("b", sdk::ParamType::Boolean, false),
				sdk::ParamSpec("o", sdk::ParamType::Object, false),
				sdk::ParamSpec("a", sdk::ParamType::Array, false),
				sdk::ParamSpec("e", sdk::ParamType::String, false).values({"jpg", "png"})}),
			[](const Object::Ptr& p, const sdk::CallContext& ctx) {
				return Var(p->getValue<std::string>("s") + "/" + ctx.identity.userId);
			});
		methods.add("fuzz", spec("admin_only", sdk::Role::Admin, {}),
			[](const Object::Ptr&, const sdk::CallContext&) { return Var(true); });
		methods.add("fuzz", spec("throws", sdk::Role::None, {{"x", sdk::ParamType::Any, false}}),
			[](const Object::Ptr& p, const sdk::CallContext&) -> Var {
				if (p->has("x"))
					throw sdk::RpcError(-32099, "custom", "custom_reason");
				throw std::runtime_error("boom");
			});
		methods.add("fuzz", spec("echo", sdk::Role::None, {{"v", sdk::ParamType::Any, false}}),
			[](const Object::Ptr& p, const sdk::CallContext&) { return p->get("v"); });
		registerCoreMethods(methods, auth);
		useAuthenticator();
	}
};

[[noreturn]] void bad(const char* what, const std::string& response)
{
	::fprintf(stderr, "invalid response (%s): %s\n", what, response.c_str());
	std::abort();
}

void checkResponse(const Var& value, const std::string& text)
{
	if (value.type() != typeid(Object::Ptr))
		bad("not an object", text);
	Object::Ptr r = value.extract<Object::Ptr>();
	if (!r || r->getValue<std::string>("jsonrpc") != "2.0" || !r->has("id"))
		bad("jsonrpc/id", text);
	if (r->has("result") == r->has("error") || r->size() != 3)
		bad("exactly one of result/error", text);
	if (r->has("error"))
	{
		Object::Ptr e = r->getObject("error");
		if (!e || !e->get("code").isInteger() || !e->get("message").isString() || !e->getObject("data")
			|| !e->getObject("data")->get("reason").isString())
			bad("error shape", text);
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	static Engine fixture;
	Session session(1, "127.0.0.1:1");
	const std::string text(reinterpret_cast<const char*>(data), size);
	// Twice on one session: the first input may authenticate it.
	for (int round = 0; round < 2; ++round)
	{
		const std::string response = fixture.engine.handle(text, session);
		if (response.empty())
			continue; // notifications only
		Var parsed;
		try
		{
			parsed = parseJson(response);
		}
		catch (const std::exception&)
		{
			bad("not JSON", response);
		}
		if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
		{
			auto array = parsed.extract<Poco::JSON::Array::Ptr>();
			if (!array || array->size() == 0)
				bad("empty batch response", response);
			for (std::size_t i = 0; i < array->size(); ++i)
				checkResponse(array->get(static_cast<unsigned>(i)), response);
		}
		else
			checkResponse(parsed, response);
	}
	return 0;
}
