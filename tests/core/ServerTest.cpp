//
// ServerTest.cpp
//
// The real camera-service binary on a loopback port, spoken to over real
// WebSocket and HTTP: JSON-RPC, framing, control frames, limits, slow
// clients, notifications and graceful shutdown (daemon mode: DaemonTest.cpp).
//

#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Buffer.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <signal.h>
#include <thread>

using namespace camsvc::test;
using Poco::Net::WebSocket;

namespace {

ServerProcess::Options withTools(std::map<std::string, std::string> defines = {})
{
	return ServerProcess::Options::of({"test_auth", "test_tools"}, std::move(defines));
}

struct Frame
{
	int opcode = 0;
	std::string payload;
};

Frame receiveFrame(WebSocket& ws, int timeoutMs = 5000)
{
	ws.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
	Poco::Buffer<char> buffer(0);
	int flags = 0;
	ws.receiveFrame(buffer, flags);
	return Frame{flags & WebSocket::FRAME_OP_BITMASK, std::string(buffer.begin(), buffer.size())};
}

int closeCode(const Frame& f)
{
	if (f.opcode != WebSocket::FRAME_OP_CLOSE || f.payload.size() < 2)
		return -1;
	return (static_cast<unsigned char>(f.payload[0]) << 8) | static_cast<unsigned char>(f.payload[1]);
}

TEST(Server, PingAnswersPongOnceAuthenticated)
{
	ServerProcess server;
	RpcClient client(server.port());
	EXPECT_EQ(client.errorCode("ping"), -32001);
	client.authenticateAs("viewer");
	EXPECT_EQ(client.result("ping").toString(), "pong");
}

TEST(Server, AuthenticateReturnsTheSeedShape)
{
	ServerProcess server;
	RpcClient client(server.port());
	auto r = client.result("authenticate", RpcClient::params({{"auth_token", testToken("admin")}})).extract<Poco::JSON::Object::Ptr>();
	EXPECT_TRUE(r->getValue<bool>("authenticated"));
	EXPECT_EQ(r->getValue<std::string>("role"), "admin");
	EXPECT_EQ(r->getArray("permissions")->size(), 3u);
	EXPECT_EQ(r->getValue<std::string>("session_id").size(), 36u);
	auto bad = client.call("authenticate", RpcClient::params({{"auth_token", "nonsense"}}));
	EXPECT_EQ(bad->getObject("error")->getValue<int>("code"), -32001);
	// A failed attempt (a stale token, a re-validation) leaves the earlier identity in place.
	EXPECT_EQ(client.result("ping").toString(), "pong");
}

TEST(Server, RolesAreEnforcedForPluginMethods)
{
	ServerProcess server(withTools());
	RpcClient client(server.port());
	client.authenticateAs("operator");
	auto error = client.call("test.echo", RpcClient::params({{"a", 1}}))->getObject("error");
	EXPECT_EQ(error->getValue<int>("code"), -32003);
	EXPECT_EQ(error->getObject("data")->getValue<std::string>("required_role"), "admin");
	client.authenticateAs("admin");
	EXPECT_EQ(client.result("test.echo", RpcClient::params({{"a", 1}})).extract<Poco::JSON::Object::Ptr>()->getValue<int>("a"), 1);
}

TEST(Server, BatchParseErrorAndUnknownMethodOverWebSocket)
{
	ServerProcess server;
	RpcClient client(server.port());
	client.sendText(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":0})");
	client.receiveReply();
	client.sendText(R"([{"jsonrpc":"2.0","method":"ping","id":1},{"jsonrpc":"2.0","method":"ping"},{"jsonrpc":"2.0","method":"nope","id":"x"}])");
	EXPECT_EQ(client.receiveReply(), R"([{"jsonrpc":"2.0","id":1,"result":"pong"},{"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method not found","data":{"method":"nope","reason":"method_not_found"}}}])");
	client.sendText("{not json");
	auto parseError = parseObject(client.receiveReply());
	EXPECT_EQ(parseError->getObject("error")->getValue<int>("code"), -32700);
	EXPECT_TRUE(parseError->isNull("id"));
	client.sendText(R"({"jsonrpc":"2.0","method":"ping"})"); // notification: no reply
	EXPECT_EQ(client.result("ping").toString(), "pong");
}

TEST(Server, FragmentedMessagesAreReassembled)
{
	ServerProcess server;
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	std::string part1 = R"({"jsonrpc":"2.0",)";
	std::string part2 = R"("method":"ping",)";
	std::string part3 = R"("id":42})";
	client.socket().sendFrame(part1.data(), static_cast<int>(part1.size()), WebSocket::FRAME_OP_TEXT);
	client.socket().sendFrame(part2.data(), static_cast<int>(part2.size()), WebSocket::FRAME_OP_CONT);
	client.socket().sendFrame(part3.data(), static_cast<int>(part3.size()), static_cast<int>(WebSocket::FRAME_FLAG_FIN) | static_cast<int>(WebSocket::FRAME_OP_CONT));
	EXPECT_EQ(client.receiveReply(), R"({"jsonrpc":"2.0","id":42,"result":"pong"})");
}

TEST(Server, PingControlFrameIsAnsweredWithPong)
{
	ServerProcess server;
	RpcClient client(server.port());
	std::string payload = "are-you-there";
	client.socket().sendFrame(payload.data(), static_cast<int>(payload.size()), static_cast<int>(WebSocket::FRAME_FLAG_FIN) | static_cast<int>(WebSocket::FRAME_OP_PING));
	Frame pong = receiveFrame(client.socket());
	EXPECT_EQ(pong.opcode, WebSocket::FRAME_OP_PONG);
	EXPECT_EQ(pong.payload, payload);
}

TEST(Server, OversizedMessageClosesWith1009)
{
	ServerProcess server(withTools({{"server.websocket.max_message_size", "1024"}}));
	RpcClient client(server.port());
	std::string big(2000, ' ');
	client.sendText(big);
	EXPECT_EQ(closeCode(receiveFrame(client.socket())), 1009);

	RpcClient other(server.port()); // the server itself is fine
	other.authenticateAs("viewer");
	EXPECT_EQ(other.result("ping").toString(), "pong");
}

TEST(Server, ClientCloseIsAnsweredWithClose)
{
	ServerProcess server;
	RpcClient client(server.port());
	client.socket().shutdown(1000, "bye");
	Frame reply = receiveFrame(client.socket());
	EXPECT_EQ(closeCode(reply), 1000);
}

TEST(Server, SlowCallDoesNotBlockTheConnection)
{
	ServerProcess server(withTools());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.sendText(R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":800},"id":"slow"})");
	client.sendText(R"({"jsonrpc":"2.0","method":"ping","id":"fast"})");
	auto nextResponse = [&client] { return parseObject(client.receiveReply())->getValue<std::string>("id"); };
	EXPECT_EQ(nextResponse(), "fast");
	EXPECT_EQ(nextResponse(), "slow");
}

Poco::JSON::Object::Ptr nextPluginNotification(RpcClient& client, int timeoutMs)
	/// The next notification that is not the core's own system_status_update
	/// (startup, health), which a slow start (TSan) may deliver at any point.
{
	auto n = client.nextNotification(timeoutMs);
	while (n && n->getValue<std::string>("method") == "system_status_update")
		n = client.nextNotification(timeoutMs);
	return n;
}

TEST(Server, NotificationsReachAuthenticatedSessionsOnly)
{
	ServerProcess server(withTools());
	RpcClient anonymous(server.port());
	RpcClient listener(server.port());
	listener.authenticateAs("viewer");
	RpcClient publisher(server.port());
	publisher.authenticateAs("viewer");
	EXPECT_EQ(publisher.result("test.publish", RpcClient::params({{"count", 3}})).convert<int>(), 3);
	for (int i = 0; i < 3; ++i)
	{
		auto n = nextPluginNotification(listener, 3000);
		ASSERT_TRUE(n) << i;
		EXPECT_EQ(n->getValue<std::string>("method"), "test_event");
		EXPECT_EQ(n->getObject("params")->getValue<int>("n"), i);
		EXPECT_EQ(n->getValue<std::string>("jsonrpc"), "2.0");
		EXPECT_FALSE(n->has("id"));
	}
	EXPECT_FALSE(anonymous.nextNotification(300));
}

TEST(Server, TopicsAcceptNamesAndDottedTopicsAndNameTheUnknown)
{
	ServerProcess server(withTools());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	Poco::JSON::Array::Ptr topics = new Poco::JSON::Array;
	for (const char* t: {"test_event", "camera.connected", "recording.stop", "no.such.topic"})
		topics->add(t);
	auto r = client.result("subscribe_events", RpcClient::params({{"topics", topics}})).extract<Poco::JSON::Object::Ptr>();
	EXPECT_TRUE(r->getValue<bool>("subscribed"));
	EXPECT_EQ(r->getArray("topics")->size(), 3u);
	ASSERT_EQ(r->getArray("unknown_topics")->size(), 1u);
	EXPECT_EQ(r->getArray("unknown_topics")->getElement<std::string>(0), "no.such.topic");

	Poco::JSON::Array::Ptr unknown = new Poco::JSON::Array;
	unknown->add("bogus");
	auto none = client.result("subscribe_events", RpcClient::params({{"topics", unknown}})).extract<Poco::JSON::Object::Ptr>();
	EXPECT_FALSE(none->getValue<bool>("subscribed")); // not an error, and nothing changed
	EXPECT_EQ(none->getArray("topics")->size(), 3u);

	RpcClient other(server.port());
	other.authenticateAs("viewer"); // never subscribed: gets every notification
	auto stats = client.result("get_subscription_stats").extract<Poco::JSON::Object::Ptr>();
	auto global = stats->getObject("global_stats");
	EXPECT_EQ(global->getValue<int>("active_clients"), 2);
	EXPECT_EQ(global->getObject("topic_counts")->getValue<int>("test_event"), 2);
	EXPECT_EQ(global->getObject("topic_counts")->getValue<int>("camera.connected"), 1);
	EXPECT_EQ(stats->getArray("client_topics")->size(), 3u);
	EXPECT_EQ(stats->getValue<std::string>("client_id").size(), 36u);

	// Delivery follows the subscription: test_event reaches this session.
	RpcClient publisher(server.port());
	publisher.authenticateAs("viewer");
	publisher.result("test.publish", RpcClient::params({{"count", 1}}));
	auto n = nextPluginNotification(client, 3000);
	ASSERT_TRUE(n);
	EXPECT_EQ(n->getValue<std::string>("method"), "test_event");
}

TEST(Server, AMalformedTrustedProxyListStopsTheStart)
{
	ServerProcess::Options o;
	o.waitReady = false;
	o.defines = {{"server.trusted_proxies", "127.0.0.1, 10.0.0.0/40"}};
	ServerProcess server(o);
	EXPECT_EQ(server.terminate(0, 10000), 78); // EX_CONFIG
	EXPECT_NE(server.log().find("--define: server.trusted_proxies = \"127.0.0.1, 10.0.0.0/40\": expected IP addresses or CIDR networks, comma-separated (not an IP address or network: 10.0.0.0/40)"), std::string::npos) << server.log();
}

TEST(Server, ClientThatDoesNotReadIsDisconnectedOthersUnaffected)
{
	ServerProcess server(withTools({{"server.websocket.send_queue_limit", "65536"}}));
	RpcClient stalled(server.port());
	stalled.authenticateAs("viewer");
	RpcClient publisher(server.port());
	publisher.authenticateAs("viewer");
	// ~24 MB of notifications: more than socket buffers plus the 64 KiB queue.
	publisher.result("test.publish", RpcClient::params({{"count", 800}, {"size", 30000}}), 30000);
	EXPECT_TRUE(waitUntil([&] { return server.log().find("send queue full") != std::string::npos; }, 5000)) << server.log();
	RpcClient fresh(server.port());
	fresh.authenticateAs("viewer");
	EXPECT_EQ(fresh.result("ping").toString(), "pong");
}

TEST(Server, IdleConnectionsAreClosedWith1001)
{
	ServerProcess server(withTools({{"server.websocket.idle_timeout", "1"}}));
	RpcClient client(server.port());
	EXPECT_EQ(closeCode(receiveFrame(client.socket(), 5000)), 1001);
}

TEST(Server, SigtermFinishesInFlightCallsThenClosesWith1001AndExitsZero)
{
	ServerProcess server(withTools());
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	client.sendText(R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":700},"id":"inflight"})");
	ASSERT_TRUE(waitUntil([&] { return server.log().find("test.sleep: sleeping") != std::string::npos; }, 3000)) << server.log();
	::kill(server.pid(), SIGTERM);
	// The call in flight is answered; sessions learn of the shutdown first (system.shutdown).
	bool toldShutdown = false;
	Poco::JSON::Object::Ptr message;
	while (!(message = parseObject(client.receiveText()))->has("id"))
		toldShutdown = toldShutdown || (message->getValue<std::string>("method") == "system_status_update"
			&& message->getObject("params")->getValue<std::string>("event") == "shutdown");
	EXPECT_EQ(message->getValue<std::string>("result"), "slept");
	EXPECT_TRUE(toldShutdown);
	EXPECT_EQ(closeCode(receiveFrame(client.socket())), 1001);
	::kill(server.pid(), SIGTERM); // a second signal must not cut the orderly stop short
	EXPECT_EQ(server.terminate(0, 10000), 0);
	EXPECT_NE(server.log().find("stopped"), std::string::npos);
}

TEST(Server, ClientClosesCrossingTheShutdownClosesEndCleanly)
{
	// Clients send their close frames while the server drains a call; when
	// the drain ends, the I/O threads read those frames while the main thread
	// closes every connection with 1001 (Connection::_closeReceived is
	// written by one and read by the other: the ThreadSanitizer build of this
	// test reported it before it became atomic). Every client still gets a
	// close frame and the server exits 0.
	ServerProcess server(withTools());
	RpcClient busy(server.port());
	busy.authenticateAs("viewer");
	std::vector<std::unique_ptr<RpcClient>> clients;
	for (int i = 0; i < 12; ++i)
		clients.push_back(std::make_unique<RpcClient>(server.port()));
	busy.sendText(R"({"jsonrpc":"2.0","method":"test.sleep","params":{"ms":600},"id":"drain"})");
	ASSERT_TRUE(waitUntil([&] { return server.log().find("test.sleep: sleeping") != std::string::npos; }, 3000)) << server.log();
	::kill(server.pid(), SIGTERM);
	// Inside the drain: the shutdown notice comes just before it.
	Poco::JSON::Object::Ptr notice;
	do
		notice = parseObject(busy.receiveText());
	while (!notice->has("id") && notice->getObject("params")->optValue<std::string>("event", "") != "shutdown");
	ASSERT_FALSE(notice->has("id")) << "the shutdown notice comes before the drained call's answer";
	for (auto& c: clients)
		c->socket().sendFrame("\x03\xe8", 2, static_cast<int>(WebSocket::FRAME_FLAG_FIN) | static_cast<int>(WebSocket::FRAME_OP_CLOSE));
	for (auto& c: clients)
	{
		int code = closeCode(receiveFrame(c->socket()));
		EXPECT_TRUE(code == 1000 || code == 1001) << code;
	}
	EXPECT_EQ(server.terminate(0, 10000), 0);
}

TEST(Server, ClientClosesRacingSigtermEndCleanly)
{
	// The same race without a drain: close frames and SIGTERM at once, so
	// the I/O threads handle the frames while the main thread closes every
	// connection (TSan reported _closeReceived here with the window widened).
	ServerProcess server(withTools());
	std::vector<std::unique_ptr<RpcClient>> clients;
	for (int i = 0; i < 12; ++i)
		clients.push_back(std::make_unique<RpcClient>(server.port()));
	for (auto& c: clients)
		c->socket().sendFrame("\x03\xe8", 2, static_cast<int>(WebSocket::FRAME_FLAG_FIN) | static_cast<int>(WebSocket::FRAME_OP_CLOSE));
	::kill(server.pid(), SIGTERM);
	for (auto& c: clients)
	{
		int code = closeCode(receiveFrame(c->socket()));
		EXPECT_TRUE(code == 1000 || code == 1001) << code;
	}
	EXPECT_EQ(server.terminate(0, 10000), 0);
}

TEST(Server, HealthIsPublicJsonAndUnknownPathsAre404Json)
{
	ServerProcess server;
	auto [status, body] = httpRequest(server.port(), "GET", "/health");
	EXPECT_EQ(status, 200);
	EXPECT_EQ(parseObject(body)->getValue<std::string>("status"), "ok");
	// Ready once every plugin has started, which may come a moment after /health answers.
	EXPECT_TRUE(waitUntil([&] { return httpRequest(server.port(), "GET", "/health/ready").first == 200; }, 5000, 50));
	auto [missing, missingBody] = httpRequest(server.port(), "GET", "/nothing/here");
	EXPECT_EQ(missing, 404);
	EXPECT_EQ(parseObject(missingBody)->getValue<std::string>("error"), "not_found");
	auto [plain, plainBody] = httpRequest(server.port(), "GET", "/ws");
	EXPECT_EQ(plain, 426);
}

TEST(Server, RpcOverHttpPostUsesBearerToken)
{
	ServerProcess server;
	auto [status, body] = httpRequest(server.port(), "POST", "/rpc", testToken("viewer"), R"({"jsonrpc":"2.0","method":"ping","id":1})");
	EXPECT_EQ(status, 200);
	EXPECT_EQ(body, R"({"jsonrpc":"2.0","id":1,"result":"pong"})");
	auto [anon, anonBody] = httpRequest(server.port(), "POST", "/rpc", "", R"({"jsonrpc":"2.0","method":"ping","id":1})");
	EXPECT_EQ(parseObject(anonBody)->getObject("error")->getValue<int>("code"), -32001);
	auto [forged, forgedBody] = httpRequest(server.port(), "POST", "/rpc", "forged", R"({"jsonrpc":"2.0","method":"ping","id":1})");
	EXPECT_EQ(forged, 401);
}

TEST(Server, FilesAreWrittenWithTheOctalUmask)
{
	// server.umask = 027 (octal, the default): nothing the service creates is
	// readable by others. Here: the state directory's log file.
	std::string dir = makeTempDir("camsvc-umask");
	ServerProcess::Options options;
	options.stateDir = dir;
	options.defines = {{"logging.file", dir + "/service.log"}};
	{
		ServerProcess server(options);
		auto mode = std::filesystem::status(dir + "/service.log").permissions();
		EXPECT_EQ(mode, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write | std::filesystem::perms::group_read);
	}
	options.defines = {{"server.umask", "8"}};
	options.waitReady = false;
	ServerProcess refused(options);
	EXPECT_EQ(refused.terminate(0, 10000), 78) << "not an octal mode: EX_CONFIG"; // sysexits.h
	EXPECT_NE(refused.log().find("--define: server.umask = \"8\": expected an octal mode such as 027"), std::string::npos) << refused.log();
	removeTree(dir);
}

TEST(Server, HelpListsTheOptions)
{
	std::string dir = makeTempDir("camsvc-help");
	ServerProcess::Options options;
	options.stateDir = dir;
	options.waitReady = false;
	options.extraArgs = {"--help"};
	ServerProcess help(options);
	EXPECT_EQ(help.terminate(0, 10000), 0);
	std::string out = help.log();
	for (const char* option: {"--config", "--define", "--daemon", "--pidfile", "--help"})
		EXPECT_NE(out.find(option), std::string::npos) << option;
	removeTree(dir);
}

} // namespace
