//
// RpcEngineTest.cpp
//
// The JSON-RPC 2.0 engine against every example of the specification
// (jsonrpc.org/specification, section 7), plus authorization and params.
//

#include "EngineHarness.h"
#include "rpc/CoreMethods.h"
#include "rpc/Json.h"
#include "rpc/RpcEngine.h"
#include <Poco/JSON/Array.h>
#include <chrono>
#include <gtest/gtest.h>

using namespace camsvc;
using namespace camsvc::core;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace {

class RpcEngineTest: public ::testing::Test, protected test::EngineHarness
{
protected:
	RpcEngineTest(): session(1, "127.0.0.1:1")
	{
		auto open = [](const std::string& name, std::vector<sdk::ParamSpec> params = {}) {
			sdk::MethodSpec spec;
			spec.name = name;
			spec.minRole = sdk::Role::None;
			spec.params = std::move(params);
			return spec;
		};
		methods.add("test", open("subtract", {{"minuend", sdk::ParamType::Integer, true}, {"subtrahend", sdk::ParamType::Integer, true}}),
			[](const Object::Ptr& p, const sdk::CallContext&) {
				return Var(p->getValue<int>("minuend") - p->getValue<int>("subtrahend"));
			});
		auto anyParams = open("sum");
		anyParams.allowExtraParams = true;
		anyParams.params = {{"a", sdk::ParamType::Integer, false}, {"b", sdk::ParamType::Integer, false}, {"c", sdk::ParamType::Integer, false}};
		methods.add("test", anyParams, [](const Object::Ptr& p, const sdk::CallContext&) {
			return Var(p->optValue<int>("a", 0) + p->optValue<int>("b", 0) + p->optValue<int>("c", 0));
		});
		auto update = open("update");
		update.params = {{"a", sdk::ParamType::Any, false}, {"b", sdk::ParamType::Any, false}, {"c", sdk::ParamType::Any, false},
			{"d", sdk::ParamType::Any, false}, {"e", sdk::ParamType::Any, false}};
		methods.add("test", update, [this](const Object::Ptr&, const sdk::CallContext&) { ++updates; return Var(); });
		auto hello = open("notify_hello");
		hello.params = {{"x", sdk::ParamType::Integer, false}};
		methods.add("test", hello, [this](const Object::Ptr&, const sdk::CallContext&) { ++updates; return Var(); });
		methods.add("test", open("notify_sum", {{"a", sdk::ParamType::Any, false}, {"b", sdk::ParamType::Any, false}, {"c", sdk::ParamType::Any, false}}),
			[](const Object::Ptr&, const sdk::CallContext&) { return Var(); });
		methods.add("test", open("get_data"), [](const Object::Ptr&, const sdk::CallContext&) {
			Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
			a->add("hello");
			a->add(5);
			return Var(a);
		});
		methods.add("test", open("throws"), [](const Object::Ptr&, const sdk::CallContext&) -> Var {
			throw std::runtime_error("boom");
		});
		sdk::MethodSpec guarded;
		guarded.name = "operate";
		guarded.minRole = sdk::Role::Operator;
		guarded.params = {sdk::ParamSpec("device", sdk::ParamType::String, true).maxLen(16),
			sdk::ParamSpec("limit", sdk::ParamType::Integer, false).range(1, 1000),
			sdk::ParamSpec("format", sdk::ParamType::String, false).values({"jpg", "png"})};
		methods.add("test", guarded, [](const Object::Ptr& p, const sdk::CallContext& ctx) {
			return Var(p->getValue<std::string>("device") + "/" + ctx.identity.userId);
		});
		registerCoreMethods(methods, auth);
	}

	Object::Ptr object(const std::string& text) { return parseJson(text).extract<Object::Ptr>(); }
	Poco::JSON::Array::Ptr array(const std::string& text) { return parseJson(text).extract<Poco::JSON::Array::Ptr>(); }
	int errorCode(const std::string& response) { return object(response)->getObject("error")->getValue<int>("code"); }
	std::string handle(const std::string& text) { return engine.handle(text, session); }
	Session session;
	int updates = 0;
};

TEST_F(RpcEngineTest, PositionalParamsAreMappedInDeclarationOrder)
{
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1})"), R"({"jsonrpc":"2.0","id":1,"result":19})");
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2})"), R"({"jsonrpc":"2.0","id":2,"result":-19})");
}

TEST_F(RpcEngineTest, NamedParamsWork)
{
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3})"), R"({"jsonrpc":"2.0","id":3,"result":19})");
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4})"), R"({"jsonrpc":"2.0","id":4,"result":19})");
}

TEST_F(RpcEngineTest, NotificationsGetNoReplyButRun)
{
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]})"), "");
	EXPECT_EQ(handle(R"({"jsonrpc": "2.0", "method": "foobar"})"), "");
	EXPECT_EQ(updates, 1);
}

TEST_F(RpcEngineTest, UnknownMethodIsMethodNotFound)
{
	auto r = object(handle(R"({"jsonrpc": "2.0", "method": "foobar", "id": "1"})"));
	EXPECT_EQ(r->getValue<std::string>("id"), "1");
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32601);
	EXPECT_EQ(r->getObject("error")->getObject("data")->getValue<std::string>("reason"), "method_not_found");
}

TEST_F(RpcEngineTest, InvalidJsonIsParseErrorWithNullId)
{
	auto r = object(handle(R"({"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz])"));
	EXPECT_TRUE(r->isNull("id"));
	EXPECT_TRUE(r->has("id"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32700);
}

TEST_F(RpcEngineTest, InvalidRequestObjectIsInvalidRequest)
{
	auto r = object(handle(R"({"jsonrpc": "2.0", "method": 1, "params": "bar"})"));
	EXPECT_TRUE(r->isNull("id"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32600);
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc": "1.0", "method": "sum", "id": 1})")), -32600);
	EXPECT_EQ(errorCode(handle(R"({"method": "sum", "id": 1})")), -32600);
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc": "2.0", "method": "sum", "id": {"a": 1}})")), -32600);
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc": "2.0", "method": "sum", "params": null, "id": 1})")), -32600);
}

TEST_F(RpcEngineTest, BatchWithInvalidJsonIsOneParseError)
{
	auto r = object(handle(R"([
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
])"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32700);
}

TEST_F(RpcEngineTest, EmptyBatchIsOneInvalidRequest)
{
	auto r = object(handle("[]"));
	EXPECT_TRUE(r->isNull("id"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32600);
}

TEST_F(RpcEngineTest, InvalidBatchEntriesEachGetAnError)
{
	auto one = array(handle("[1]"));
	ASSERT_EQ(one->size(), 1u);
	EXPECT_EQ(one->getObject(0)->getObject("error")->getValue<int>("code"), -32600);
	auto three = array(handle("[1,2,3]"));
	ASSERT_EQ(three->size(), 3u);
	for (unsigned i = 0; i < 3; ++i)
		EXPECT_EQ(three->getObject(i)->getObject("error")->getValue<int>("code"), -32600);
}

TEST_F(RpcEngineTest, MixedBatchAnswersEveryRequestButNotNotifications)
{
	auto r = array(handle(R"([
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ])"));
	ASSERT_EQ(r->size(), 5u);
	EXPECT_EQ(r->getObject(0)->getValue<int>("result"), 7);
	EXPECT_EQ(r->getObject(0)->getValue<std::string>("id"), "1");
	EXPECT_EQ(r->getObject(1)->getValue<int>("result"), 19);
	EXPECT_EQ(r->getObject(2)->getObject("error")->getValue<int>("code"), -32600);
	EXPECT_TRUE(r->getObject(2)->isNull("id"));
	EXPECT_EQ(r->getObject(3)->getObject("error")->getValue<int>("code"), -32601);
	EXPECT_EQ(r->getObject(3)->getValue<std::string>("id"), "5");
	EXPECT_EQ(toJson(r->getObject(4)->get("result")), R"(["hello",5])");
	EXPECT_EQ(updates, 1);
}

TEST_F(RpcEngineTest, AllNotificationBatchGetsNoReply)
{
	EXPECT_EQ(handle(R"([
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ])"), "");
}

TEST_F(RpcEngineTest, IdsOfEveryValidTypeAreEchoed)
{
	EXPECT_EQ(handle(R"({"jsonrpc":"2.0","method":"get_data","id":null})"), R"({"jsonrpc":"2.0","id":null,"result":["hello",5]})");
	EXPECT_EQ(handle(R"({"jsonrpc":"2.0","method":"get_data","id":"abc\"d"})"), R"({"jsonrpc":"2.0","id":"abc\"d","result":["hello",5]})");
	EXPECT_EQ(handle(R"({"jsonrpc":"2.0","method":"get_data","id":-12345678901})"), R"({"jsonrpc":"2.0","id":-12345678901,"result":["hello",5]})");
	EXPECT_EQ(handle(R"({"jsonrpc":"2.0","method":"get_data","id":1.5})"), R"({"jsonrpc":"2.0","id":1.5,"result":["hello",5]})");
}

TEST_F(RpcEngineTest, ResponsesCarryOnlyJsonrpcIdAndResultOrError)
{
	auto ok = object(handle(R"({"jsonrpc":"2.0","method":"get_data","id":1})"));
	EXPECT_EQ(ok->size(), 3u);
	auto err = object(handle(R"({"jsonrpc":"2.0","method":"nope","id":1})"));
	EXPECT_EQ(err->size(), 3u);
	EXPECT_TRUE(err->has("error"));
}

TEST_F(RpcEngineTest, HandlerExceptionBecomesInternalError)
{
	auto r = object(handle(R"({"jsonrpc":"2.0","method":"throws","id":7})"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32603);
	EXPECT_EQ(r->getObject("error")->getObject("data")->getValue<std::string>("reason"), "internal_error");
}

TEST_F(RpcEngineTest, ProtectedMethodNeedsAuthentication)
{
	auto r = object(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"cam"},"id":1})"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32001);
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc":"2.0","method":"ping","id":1})")), -32001);
}

TEST_F(RpcEngineTest, NoAuthenticatorRefusesEveryToken)
{
	auto r = object(handle(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":"admin"},"id":1})"));
	EXPECT_EQ(r->getObject("error")->getValue<int>("code"), -32001);
	EXPECT_EQ(r->getObject("error")->getObject("data")->getValue<std::string>("reason"), "no_authenticator");
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc":"2.0","method":"ping","params":{"auth_token":"admin"},"id":1})")), -32001);
}

TEST_F(RpcEngineTest, AuthenticateBindsRoleAndPermissions)
{
	useAuthenticator();
	auto r = object(handle(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":"operator"},"id":1})"))->getObject("result");
	EXPECT_TRUE(r->getValue<bool>("authenticated"));
	EXPECT_EQ(r->getValue<std::string>("role"), "operator");
	EXPECT_EQ(toJson(r->get("permissions")), R"(["view","control"])");
	EXPECT_EQ(r->getValue<std::string>("session_id"), session.id());
	EXPECT_EQ(r->getValue<std::string>("expires_at").size(), 20u);
	EXPECT_EQ(handle(R"({"jsonrpc":"2.0","method":"ping","id":2})"), R"({"jsonrpc":"2.0","id":2,"result":"pong"})");
	EXPECT_EQ(object(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"cam"},"id":3})"))->getValue<std::string>("result"), "cam/u");
}

TEST_F(RpcEngineTest, RoleBelowMethodRoleIsPermissionDenied)
{
	useAuthenticator();
	handle(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":"viewer"},"id":1})");
	auto error = object(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"cam"},"id":2})"))->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32003);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("required_role"), "operator");
}

TEST_F(RpcEngineTest, RequestMayCarryItsOwnToken)
{
	useAuthenticator();
	EXPECT_EQ(object(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"cam","auth_token":"admin"},"id":1})"))->getValue<std::string>("result"), "cam/u");
	EXPECT_FALSE(session.isAuthenticated());
	EXPECT_EQ(errorCode(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"cam","auth_token":"bogus"},"id":2})")), -32001);
}

TEST_F(RpcEngineTest, ExpiredSessionGetsTokenExpired)
{
	sdk::Identity identity;
	identity.role = sdk::Role::Admin;
	identity.expiresAt = Poco::Timestamp() - Poco::Timespan(1, 0);
	session.bind(identity);
	auto error = object(handle(R"({"jsonrpc":"2.0","method":"ping","id":1})"))->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32001);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), "token_expired");
}

TEST_F(RpcEngineTest, ParamsAreValidatedWithTheOffendingParamNamed)
{
	useAuthenticator();
	handle(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":"admin"},"id":1})");
	auto check = [this](const std::string& params, const std::string& param, const std::string& reason) {
		auto error = object(handle(R"({"jsonrpc":"2.0","method":"operate","params":)" + params + R"(,"id":1})"))->getObject("error");
		EXPECT_EQ(error->getValue<int>("code"), -32602) << params;
		EXPECT_EQ(error->getObject("data")->getValue<std::string>("param"), param) << params;
		EXPECT_EQ(error->getObject("data")->getValue<std::string>("reason"), reason) << params;
	};
	check("{}", "device", "missing_param");
	check(R"({"device":5})", "device", "wrong_type");
	check(R"({"device":"x","limit":"10"})", "limit", "wrong_type");
	check(R"({"device":"x","limit":0})", "limit", "out_of_range");
	check(R"({"device":"x","limit":1001})", "limit", "out_of_range");
	check(R"({"device":"x","limit":true})", "limit", "wrong_type");
	check(R"({"device":"x","limit":2.5})", "limit", "wrong_type");
	check(R"({"device":"01234567890123456789"})", "device", "too_long");
	check(R"({"device":"x","format":"gif"})", "format", "not_allowed");
	check(R"({"device":"x","bogus":1})", "bogus", "unknown_param");
	EXPECT_EQ(object(handle(R"({"jsonrpc":"2.0","method":"operate","params":{"device":"x","limit":10.0,"format":"png"},"id":1})"))->getValue<std::string>("result"), "x/u");
}

TEST_F(RpcEngineTest, PingRunsInlineOthersOnWorkers)
{
	EXPECT_TRUE(engine.parse(R"({"jsonrpc":"2.0","method":"ping","id":1})").nonBlocking);
	EXPECT_FALSE(engine.parse(R"({"jsonrpc":"2.0","method":"operate","id":1})").nonBlocking);
	EXPECT_FALSE(engine.parse(R"([{"jsonrpc":"2.0","method":"ping","id":1},{"jsonrpc":"2.0","method":"operate","id":2}])").nonBlocking);
	EXPECT_TRUE(engine.parse("not json").nonBlocking);
}

TEST_F(RpcEngineTest, CountersCountRequestsAndErrors)
{
	handle(R"({"jsonrpc":"2.0","method":"get_data","id":1})");
	handle(R"({"jsonrpc":"2.0","method":"nope","id":2})");
	EXPECT_EQ(metrics.requestsTotal.value(), 2u);
	EXPECT_EQ(metrics.requestErrors.value(), 1u);
}

} // namespace

TEST(Session, GetsOnlyTheNewsPublishedAfterItSignedIn)
{
	// The event bus delivers asynchronously: a notification published before a
	// session signed in (the core's startup system_status_update) is not its news.
	Session session(1, "127.0.0.1");
	sdk::Identity identity;
	auto before = std::chrono::steady_clock::now();
	EXPECT_FALSE(session.signedInBefore(before, identity)) << "signed out";
	sdk::Identity viewer;
	viewer.role = sdk::Role::Viewer;
	session.bind(viewer);
	auto after = std::chrono::steady_clock::now();
	EXPECT_FALSE(session.signedInBefore(before, identity));
	EXPECT_TRUE(session.signedInBefore(after + std::chrono::nanoseconds(1), identity));
	session.bind(viewer); // a new token on a signed-in session keeps what it was due
	EXPECT_TRUE(session.signedInBefore(after + std::chrono::nanoseconds(1), identity));
	auto beforeAgain = std::chrono::steady_clock::now();
	session.unbind();
	session.bind(viewer);
	EXPECT_FALSE(session.signedInBefore(beforeAgain, identity)) << "signed in again: its news starts again";
}
