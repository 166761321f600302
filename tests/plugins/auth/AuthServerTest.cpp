//
// AuthServerTest.cpp
//
// The auth plugin inside the real camera-service binary: authenticate with
// JWTs and API keys, the permission matrix of every method the server
// registers, rate limits, brute-force throttling, HTTP Bearer, the generated
// first-start secret and the admin tool against a running server.
//

#include "ApiKeyStore.h"
#include "AuthTestSupport.h"
#include "JwtCodec.h"
#include "PrivateFile.h"
#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <camsvc/sdk/Time.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <set>
#include <thread>
#include <tuple>

using namespace camsvc;
using namespace camsvc::test;
using namespace camsvc::auth;

namespace {

const std::string Secret = "integration-test-secret-0123456789abcdef";

ServerProcess::Options authOptions(std::map<std::string, std::string> defines = {})
{
	ServerProcess::Options o;
	o.plugins = {"auth", "test_tools"};
	o.defines = {{"auth.jwt.secret", Secret}, {"auth.api_keys.reload_interval_seconds", "1"}};
	for (auto& [k, v]: defines)
		o.defines[k] = v;
	return o;
}

std::string jwt(sdk::Role role, int ttl = 600, const std::string& user = "alice")
{
	return JwtCodec(Secret, {"HS256"}, 0).issue(user, role, ttl);
}

Poco::JSON::Object::Ptr authenticate(RpcClient& client, const std::string& token)
{
	return client.call("authenticate", RpcClient::params({{"auth_token", token}}));
}

std::string errorReason(const Poco::JSON::Object::Ptr& response)
{
	auto error = response->getObject("error");
	return error ? error->getObject("data")->getValue<std::string>("reason") : "<no error>";
}

int errorCodeOf(const Poco::JSON::Object::Ptr& response)
{
	auto error = response->getObject("error");
	return error ? error->getValue<int>("code") : 0;
}

struct MethodCase
{
	std::string method;
	sdk::Role minRole;
	Poco::JSON::Object::Ptr params;
};

Poco::Dynamic::Var sampleValue(const std::string& param)
	/// A valid value for the required params of the methods registered today;
	/// anything else gets a string (a -32602 still proves the call was let in).
{
	if (param == "ms") return 0;
	if (param == "topics")
	{
		Poco::JSON::Array::Ptr topics = new Poco::JSON::Array;
		topics->add("test_event");
		return topics;
	}
	return std::string("x");
}

std::vector<MethodCase> discoverMethods(int port)
	/// Every method the running server registers, from rpc.discover, with its
	/// minimum role (x-min-role) and params filling every required one.
{
	RpcClient admin(port);
	admin.authenticate(jwt(sdk::Role::Admin));
	auto doc = admin.result("rpc.discover").extract<Poco::JSON::Object::Ptr>();
	std::vector<MethodCase> methods;
	auto list = doc->getArray("methods");
	for (std::size_t i = 0; i < list->size(); ++i)
	{
		auto m = list->getObject(static_cast<unsigned>(i));
		MethodCase c{m->getValue<std::string>("name"), sdk::Role::None, new Poco::JSON::Object};
		std::string role = m->getValue<std::string>("x-min-role");
		if (role != "none" && !sdk::parseRole(role, c.minRole))
			ADD_FAILURE() << c.method << ": x-min-role " << role;
		auto params = m->getArray("params");
		for (std::size_t j = 0; params && j < params->size(); ++j)
		{
			auto param = params->getObject(static_cast<unsigned>(j));
			if (param->getValue<bool>("required"))
				c.params->set(param->getValue<std::string>("name"), sampleValue(param->getValue<std::string>("name")));
		}
		if (c.method == "authenticate")
			continue; // needs a token of its own; covered by the other tests
		methods.push_back(c);
	}
	return methods;
}

bool admitted(int code)
{
	return code != -32001 && code != -32002 && code != -32003;
}

} // namespace

TEST(AuthServer, JwtAuthenticatesEachRole)
{
	ServerProcess server(authOptions());
	for (auto [role, permissions]: {std::pair{sdk::Role::Viewer, 1u}, {sdk::Role::Operator, 2u}, {sdk::Role::Admin, 3u}})
	{
		RpcClient client(server.port());
		std::string token = jwt(role);
		auto result = authenticate(client, token)->getObject("result");
		ASSERT_TRUE(result) << sdk::roleName(role);
		EXPECT_TRUE(result->getValue<bool>("authenticated"));
		EXPECT_EQ(result->getValue<std::string>("role"), sdk::roleName(role));
		EXPECT_EQ(result->getArray("permissions")->size(), permissions);
		EXPECT_EQ(result->getValue<std::string>("expires_at"),
			sdk::rfc3339(JwtCodec(Secret, {"HS256"}, 0).verify(token).expiresAt));
		EXPECT_EQ(result->getValue<std::string>("session_id").size(), 36u);
		EXPECT_EQ(client.result("ping").toString(), "pong");
	}
}

TEST(AuthServer, BadTokensAreRejectedWithReasons)
{
	ServerProcess server(authOptions());
	RpcClient client(server.port());
	auto expired = authenticate(client, JwtCodec(Secret, {"HS256"}, 0).issue("a", sdk::Role::Admin, 1,
		"HS256", Poco::Timestamp() - 3600 * Poco::Timestamp::resolution()));
	EXPECT_EQ(errorCodeOf(expired), -32001);
	EXPECT_EQ(errorReason(expired), "token_expired");
	auto forged = authenticate(client, JwtCodec("some-other-secret-0123456789", {"HS256"}, 0).issue("a", sdk::Role::Admin, 60));
	EXPECT_EQ(errorReason(forged), "invalid_token");
	auto unknownKey = authenticate(client, "csk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	EXPECT_EQ(errorReason(unknownKey), "invalid_token");
	EXPECT_EQ(client.errorCode("ping"), -32001);
}

TEST(AuthServer, PermissionMatrixForEveryRegisteredMethod)
{
	ServerProcess::Options options = authOptions();
	options.plugins = {"auth", "test_tools", "metrics"};
	ServerProcess server(options);
	std::vector<MethodCase> methods = discoverMethods(server.port());
	std::set<std::string> names;
	std::set<sdk::Role> levels;
	for (const MethodCase& m: methods)
	{
		names.insert(m.method);
		levels.insert(m.minRole);
	}
	EXPECT_TRUE(names.count("ping") && names.count("test.echo") && names.count("get_metrics"));
	EXPECT_TRUE(levels.count(sdk::Role::Viewer) && levels.count(sdk::Role::Admin));

	RpcClient anonymous(server.port());
	for (const MethodCase& m: methods)
	{
		int code = anonymous.errorCode(m.method, m.params);
		if (m.minRole == sdk::Role::None)
			EXPECT_TRUE(admitted(code)) << m.method << " unauthenticated: " << code;
		else
			EXPECT_EQ(code, -32001) << m.method << " unauthenticated";
	}

	for (sdk::Role role: {sdk::Role::Viewer, sdk::Role::Operator, sdk::Role::Admin})
	{
		RpcClient session(server.port());
		session.authenticate(jwt(role));
		RpcClient perRequest(server.port()); // auth_token in each request instead
		for (const MethodCase& m: methods)
		{
			Poco::JSON::Object::Ptr withToken = new Poco::JSON::Object(*m.params);
			withToken->set("auth_token", jwt(role));
			for (auto [client, params, how]: {std::tuple{&session, m.params, "session"}, {&perRequest, withToken, "auth_token"}})
			{
				auto response = client->call(m.method, params);
				int code = errorCodeOf(response);
				if (sdk::roleAtLeast(role, m.minRole))
				{
					EXPECT_TRUE(admitted(code)) << m.method << " as " << sdk::roleName(role) << " (" << how << "): " << code;
				}
				else
				{
					EXPECT_EQ(code, -32003) << m.method << " as " << sdk::roleName(role) << " (" << how << ")";
					if (code == -32003)
					{
						EXPECT_EQ(response->getObject("error")->getObject("data")->getValue<std::string>("required_role"), sdk::roleName(m.minRole));
					}
				}
			}
		}
	}
}

TEST(AuthServer, HttpBearerAndQueryToken)
{
	TempDir state;
	auto viewerKey = ApiKeyStore(state.file("api_keys.json")).create("dashboard", sdk::Role::Viewer);
	ServerProcess::Options options = authOptions();
	options.plugins = {"auth", "metrics"};
	options.stateDir = state.path();
	ServerProcess server(options);
	auto get = [&](const std::string& path, const std::string& bearer) { return httpRequest(server.port(), "GET", path, bearer); };
	std::string admin = jwt(sdk::Role::Admin);
	EXPECT_EQ(get("/metrics", "").first, 401);
	auto ok = get("/metrics", admin);
	EXPECT_EQ(ok.first, 200);
	EXPECT_NE(ok.second.find("camsvc_"), std::string::npos);
	EXPECT_EQ(get("/metrics?token=" + admin, "").first, 200);
	EXPECT_EQ(get("/metrics", viewerKey.key).first, 403); // metrics need admin
	auto expired = get("/metrics", JwtCodec(Secret, {"HS256"}, 0).issue("a", sdk::Role::Admin, 1, "HS256",
		Poco::Timestamp() - 3600 * Poco::Timestamp::resolution()));
	EXPECT_EQ(expired.first, 401);
	EXPECT_NE(expired.second.find("token_expired"), std::string::npos) << expired.second;
}

TEST(AuthServer, ApiKeysAuthenticateAndRevocationSignsOutLiveSessions)
{
	TempDir state;
	ApiKeyStore tool(state.file("api_keys.json")); // as camera-service-admin would
	auto operatorKey = tool.create("ci", sdk::Role::Operator);
	auto adminKey = tool.create("ops", sdk::Role::Admin);

	ServerProcess::Options options = authOptions();
	options.stateDir = state.path();
	ServerProcess server(options);

	RpcClient client(server.port());
	auto result = authenticate(client, operatorKey.key)->getObject("result");
	ASSERT_TRUE(result);
	EXPECT_EQ(result->getValue<std::string>("role"), "operator");
	EXPECT_EQ(result->getValue<std::string>("expires_at"), "9999-12-31T23:59:59Z");
	EXPECT_EQ(client.result("ping").toString(), "pong");
	EXPECT_EQ(client.errorCode("test.echo", RpcClient::params({{"x", 1}})), -32003);

	auto [status, body] = httpRequest(server.port(), "POST", "/rpc", adminKey.key, R"({"jsonrpc":"2.0","method":"test.echo","params":{"x":7},"id":1})");
	EXPECT_EQ(status, 200) << body;
	EXPECT_NE(body.find("\"x\":7"), std::string::npos) << body;
	EXPECT_EQ(httpRequest(server.port(), "POST", "/rpc", adminKey.key + "x", R"({"jsonrpc":"2.0","method":"ping","id":1})").first, 401);

	RpcClient admin(server.port());
	ASSERT_TRUE(authenticate(admin, adminKey.key)->has("result"));

	tool.revoke(operatorKey.record.id);
	Poco::JSON::Object::Ptr retry;
	waitUntil([&] { // reload interval is 1 s
		RpcClient again(server.port());
		retry = authenticate(again, operatorKey.key);
		return retry->has("error");
	}, 4000, 100);
	EXPECT_EQ(errorReason(retry), "revoked");

	// The connection already signed in with the revoked key is signed out
	// (not left working until it reconnects); one with another key is not.
	Poco::JSON::Object::Ptr ping;
	waitUntil([&] {
		ping = client.call("ping");
		return ping->has("error");
	}, 4000, 100);
	EXPECT_EQ(errorCodeOf(ping), -32001);
	EXPECT_EQ(errorReason(ping), "revoked");
	EXPECT_EQ(admin.result("ping").toString(), "pong");
	EXPECT_TRUE(authenticate(client, adminKey.key)->has("result")) << "signing in again works";
	EXPECT_EQ(client.result("ping").toString(), "pong");
}

TEST(AuthServer, SessionExpiresWithItsToken)
{
	ServerProcess server(authOptions({{"auth.jwt.clock_skew_seconds", "0"}}));
	RpcClient client(server.port());
	client.authenticate(jwt(sdk::Role::Viewer, 1));
	EXPECT_EQ(client.result("ping").toString(), "pong");
	Poco::JSON::Object::Ptr response;
	EXPECT_TRUE(waitUntil([&] { return (response = client.call("ping"))->has("error"); }, 4000, 100))
		<< "the session outlives its 1 s token";
	EXPECT_EQ(errorCodeOf(response), -32001);
	EXPECT_EQ(errorReason(response), "token_expired");
}

TEST(AuthServer, RateLimitPerConnectionAndIdentity)
{
	ServerProcess server(authOptions({{"auth.rate_limit.requests_per_second", "2"}, {"auth.rate_limit.burst", "5"},
		{"auth.rate_limit.identity_requests_per_second", "0.2"}, {"auth.rate_limit.identity_burst", "8"}}));
	std::string token = jwt(sdk::Role::Viewer);
	RpcClient first(server.port());
	first.authenticate(token);
	for (int i = 0; i < 5; ++i)
		EXPECT_EQ(first.errorCode("ping"), 0) << i;
	auto limited = first.call("ping");
	ASSERT_EQ(errorCodeOf(limited), -32002);
	auto data = limited->getObject("error")->getObject("data");
	EXPECT_EQ(data->getValue<std::string>("scope"), "connection");
	EXPECT_GT(data->getValue<int>("retry_after_ms"), 0);
	EXPECT_LE(data->getValue<int>("retry_after_ms"), 500);

	RpcClient second(server.port()); // same identity: 3 left of its burst of 8 (minus refill)
	second.authenticate(token);
	int admitted = 0;
	Poco::JSON::Object::Ptr last;
	for (int i = 0; i < 5; ++i)
	{
		last = second.call("ping");
		if (errorCodeOf(last) == 0)
			++admitted;
	}
	EXPECT_GE(admitted, 3);
	EXPECT_LE(admitted, 4);
	EXPECT_EQ(errorCodeOf(last), -32002);
	EXPECT_EQ(last->getObject("error")->getObject("data")->getValue<std::string>("scope"), "identity");

	RpcClient other(server.port()); // another user is not affected
	other.authenticate(jwt(sdk::Role::Viewer, 600, "bob"));
	EXPECT_EQ(other.errorCode("ping"), 0);
}

TEST(AuthServer, BruteForceClosesTheConnectionAndThrottlesOnlyTheFailures)
{
	ServerProcess server(authOptions({{"auth.brute_force.max_failures", "3"}, {"auth.brute_force.failures_per_minute", "5"},
		{"auth.brute_force.failure_delay_ms", "50"}}));
	RpcClient first(server.port());
	for (int i = 0; i < 3; ++i)
		EXPECT_EQ(errorReason(authenticate(first, "wrong-" + std::to_string(i))), "invalid_token");
	EXPECT_ANY_THROW({
		first.call("ping", nullptr, 2000);
		first.call("ping", nullptr, 2000);
	}); // closed by the server (policy violation)

	RpcClient second(server.port());
	EXPECT_EQ(errorReason(authenticate(second, "wrong-3")), "invalid_token");
	EXPECT_EQ(errorReason(authenticate(second, "wrong-4")), "invalid_token");
	auto throttled = authenticate(second, "wrong-5"); // the address spent its budget: failures get -32002
	EXPECT_EQ(errorCodeOf(throttled), -32002);
	EXPECT_EQ(errorReason(throttled), "too_many_failures");
	EXPECT_GE(throttled->getObject("error")->getObject("data")->getValue<int>("retry_after_ms"), 1000);

	// Everyone else at that address (a NAT, a reverse proxy) still gets in with a valid token.
	RpcClient neighbour(server.port());
	EXPECT_EQ(errorCodeOf(authenticate(neighbour, jwt(sdk::Role::Admin))), 0);
	EXPECT_EQ(neighbour.result("ping").toString(), "pong");
}

TEST(AuthServer, FailedAttemptsAreDelayed)
{
	ServerProcess server(authOptions({{"auth.brute_force.max_failures", "5"}, {"auth.brute_force.failures_per_minute", "100"},
		{"auth.brute_force.failure_delay_ms", "150"}}));
	RpcClient client(server.port());
	auto timed = [&](const std::string& token) {
		auto started = std::chrono::steady_clock::now();
		authenticate(client, token);
		return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
	};
	EXPECT_GE(timed("wrong-1"), 150);
	EXPECT_GE(timed("wrong-2"), 300); // growing per connection
	EXPECT_LT(timed(jwt(sdk::Role::Viewer)), 150); // a valid token is not held back
}

TEST(AuthServer, ForgedTokensInRequestsAndHttpAreThrottledToo)
{
	ServerProcess server(authOptions({{"auth.brute_force.max_failures", "3"}, {"auth.brute_force.failures_per_minute", "4"},
		{"auth.brute_force.failure_delay_ms", "20"}}));
	RpcClient client(server.port());
	for (int i = 0; i < 3; ++i)
	{
		auto r = client.call("ping", RpcClient::params({{"auth_token", "forged-" + std::to_string(i)}}));
		EXPECT_EQ(errorCodeOf(r), -32001);
	}
	EXPECT_ANY_THROW({
		client.call("ping", nullptr, 2000);
		client.call("ping", nullptr, 2000);
	}); // per-request tokens count as attempts: closed like repeated authenticate failures
	// The address has one failure left in its budget; HTTP Bearer attempts spend it, then 429.
	EXPECT_EQ(httpRequest(server.port(), "POST", "/rpc", "forged-3", R"({"jsonrpc":"2.0","method":"ping","id":1})").first, 401);
	EXPECT_EQ(httpRequest(server.port(), "POST", "/rpc", "forged-4", R"({"jsonrpc":"2.0","method":"ping","id":1})").first, 429);
	EXPECT_EQ(httpRequest(server.port(), "POST", "/rpc", jwt(sdk::Role::Admin), R"({"jsonrpc":"2.0","method":"ping","id":1})").first, 200);
}

TEST(AuthServer, ForwardedForIsBelievedOnlyFromTrustedProxies)
{
	const std::string ping = R"({"jsonrpc":"2.0","method":"ping","id":1})";
	auto from = [&](int port, const std::string& token, const std::string& client) {
		return httpRequest(port, "POST", "/rpc", token, ping, {{"X-Forwarded-For", client}}).first;
	};
	{
		// Behind a trusted proxy each client has its own failure budget.
		ServerProcess server(authOptions({{"auth.brute_force.failures_per_minute", "2"}, {"auth.brute_force.failure_delay_ms", "0"},
			{"server.trusted_proxies", "127.0.0.1"}}));
		EXPECT_EQ(from(server.port(), "forged-1", "198.51.100.1"), 401);
		EXPECT_EQ(from(server.port(), "forged-2", "198.51.100.1"), 401);
		EXPECT_EQ(from(server.port(), "forged-3", "198.51.100.1"), 429);
		EXPECT_EQ(from(server.port(), "forged-4", "198.51.100.2"), 401);
	}
	{
		// The same over WebSocket: the address comes from the upgrade request.
		ServerProcess server(authOptions({{"auth.brute_force.failures_per_minute", "2"}, {"auth.brute_force.failure_delay_ms", "0"},
			{"server.trusted_proxies", "127.0.0.0/8"}}));
		RpcClient first(server.port(), "/ws", {{"X-Forwarded-For", "203.0.113.7"}});
		EXPECT_EQ(errorCodeOf(authenticate(first, "wrong-1")), -32001);
		EXPECT_EQ(errorCodeOf(authenticate(first, "wrong-2")), -32001);
		EXPECT_EQ(errorCodeOf(authenticate(first, "wrong-3")), -32002);
		RpcClient second(server.port(), "/ws", {{"Forwarded", "for=203.0.113.8"}});
		EXPECT_EQ(errorCodeOf(authenticate(second, "wrong-4")), -32001);
	}
	{
		// Without it the header is ignored: a client cannot pick a fresh address per attempt.
		ServerProcess server(authOptions({{"auth.brute_force.failures_per_minute", "2"}, {"auth.brute_force.failure_delay_ms", "0"}}));
		EXPECT_EQ(from(server.port(), "forged-1", "198.51.100.1"), 401);
		EXPECT_EQ(from(server.port(), "forged-2", "198.51.100.2"), 401);
		EXPECT_EQ(from(server.port(), "forged-3", "198.51.100.3"), 429);
		EXPECT_EQ(from(server.port(), jwt(sdk::Role::Viewer), "198.51.100.3"), 200); // valid credentials still pass
	}
}

TEST(AuthServer, FirstStartGeneratesSecretUsableByAdminTool)
{
	ServerProcess::Options options = authOptions();
	options.defines.erase("auth.jwt.secret");
	ServerProcess server(options);
	std::string secretFile = server.stateDir() + "/jwt_secret";
	ASSERT_TRUE(Poco::File(secretFile).exists());
	EXPECT_EQ(camsvc::auth::fileMode(secretFile), 0600);
	std::string log = server.log();
	EXPECT_NE(log.find(secretFile), std::string::npos) << log;
	EXPECT_NE(log.find("camera-service-admin token"), std::string::npos) << log;
	EXPECT_EQ(log.find(camsvc::auth::readFileTrimmed(secretFile)), std::string::npos); // never log the secret

	Poco::Pipe out;
	Poco::ProcessHandle tool = Poco::Process::launch(CAMSVC_ADMIN_TOOL,
		{"--define", "state.directory=" + server.stateDir(), "token", "--role", "operator", "--user", "dana", "--ttl", "300"},
		nullptr, &out, nullptr);
	Poco::PipeInputStream stream(out);
	std::string token;
	Poco::StreamCopier::copyToString(stream, token);
	ASSERT_EQ(tool.wait(), 0);
	RpcClient client(server.port());
	auto result = authenticate(client, Poco::trim(token))->getObject("result");
	ASSERT_TRUE(result);
	EXPECT_EQ(result->getValue<std::string>("role"), "operator");
}
