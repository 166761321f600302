//
// TlsServerTest.cpp
//
// wss:// and https:// on the service's port with a self-signed certificate
// made by the openssl command for the test.
//

#include "support/ChildProcess.h"
#include "support/ProcStatus.h"
#include "support/RawClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Buffer.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

using namespace camsvc::test;
using Poco::Net::WebSocket;

namespace {

class TlsServer: public ::testing::Test
{
protected:
	static void SetUpTestSuite()
	{
		Poco::Net::initializeSSL();
		dir = makeTempDir("camsvc-tls");
		ChildProcess openssl({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem",
			"-out", dir + "/cert.pem", "-days", "1", "-subj", "/CN=localhost"}, dir + "/openssl.log");
		ASSERT_EQ(openssl.stop(0, 60000), 0) << openssl.output();
	}
	static void TearDownTestSuite() { removeTree(dir); }

	static ServerProcess::Options options()
	{
		ServerProcess::Options o;
		o.waitReady = false; // ServerProcess polls plain HTTP
		o.defines = {{"server.tls.certificate", dir + "/cert.pem"}, {"server.tls.private_key", dir + "/key.pem"}};
		return o;
	}

	static Poco::Net::Context::Ptr clientContext()
	{
		return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
	}

	static std::pair<int, std::string> httpsGet(int port, const std::string& path)
	{
		Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), clientContext());
		Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
		session.sendRequest(request);
		Poco::Net::HTTPResponse response;
		std::string body;
		Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
		return {response.getStatus(), body};
	}

	static void waitTls(int port)
	{
		bool up = waitUntil([&] {
			try
			{
				return httpsGet(port, "/health").first == 200;
			}
			catch (...)
			{
				return false;
			}
		}, 5000, 25);
		ASSERT_TRUE(up) << "TLS server did not come up";
	}

	static std::string dir;
};

std::string TlsServer::dir;

TEST_F(TlsServer, HttpsAndWssServeTheSameApi)
{
	ServerProcess server(options());
	waitTls(server.port());
	EXPECT_NE(server.log().find("with TLS"), std::string::npos);

	Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port()), clientContext());
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws", Poco::Net::HTTPMessage::HTTP_1_1);
	Poco::Net::HTTPResponse response;
	WebSocket ws(session, request, response);
	auto exchange = [&ws](const std::string& text) {
		ws.sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
		Poco::Buffer<char> buffer(0);
		int flags = 0;
		ws.setReceiveTimeout(Poco::Timespan(5, 0));
		ws.receiveFrame(buffer, flags);
		return std::string(buffer.begin(), buffer.size());
	};
	auto auth = parseObject(exchange(R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":1})"));
	EXPECT_TRUE(auth->getObject("result")->getValue<bool>("authenticated"));
	for (int i = 0; i < 50; ++i)
		EXPECT_EQ(exchange(R"({"jsonrpc":"2.0","method":"ping","id":2})"), R"({"jsonrpc":"2.0","id":2,"result":"pong"})");
	std::string id(100000, 'x');
	EXPECT_EQ(exchange(R"({"jsonrpc":"2.0","method":"ping","id":")" + id + R"("})"),
		R"({"jsonrpc":"2.0","id":")" + id + R"(","result":"pong"})"); // large frames cross the pump intact
	ws.shutdown();
}

TEST_F(TlsServer, StalledHandshakesAndManyClientsCostNoThreads)
{
	ServerProcess::Options o = options();
	o.defines["server.tls.handshake_timeout"] = "2";
	ServerProcess server(o);
	waitTls(server.port());
	std::vector<std::unique_ptr<RawClient>> silent; // TCP connections that never send a ClientHello
	for (int i = 0; i < 100; ++i)
		silent.push_back(std::make_unique<RawClient>(server.port()));
	auto start = std::chrono::steady_clock::now();
	std::vector<std::unique_ptr<Poco::Net::HTTPSClientSession>> sessions;
	std::vector<std::unique_ptr<WebSocket>> clients;
	for (int i = 0; i < 200; ++i)
	{
		sessions.push_back(std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", static_cast<Poco::UInt16>(server.port()), clientContext()));
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws", Poco::Net::HTTPMessage::HTTP_1_1);
		Poco::Net::HTTPResponse response;
		clients.push_back(std::make_unique<WebSocket>(*sessions.back(), request, response));
		if (i == 0)
		{
			EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count(), 2000)
				<< "100 silent TLS sockets delayed every new client by 10 s before";
		}
	}
	EXPECT_LT(threadCount(server.pid()), 40) << "a thread per wss:// connection";
	for (auto& ws: clients)
	{
		std::string text = R"({"jsonrpc":"2.0","method":"authenticate","params":{"auth_token":")" + testToken("viewer") + R"("},"id":1})";
		ws->sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
	}
	for (auto& ws: clients)
	{
		Poco::Buffer<char> buffer(0);
		int flags = 0;
		ws->setReceiveTimeout(Poco::Timespan(5, 0));
		ws->receiveFrame(buffer, flags);
		EXPECT_NE(std::string(buffer.begin(), buffer.size()).find("\"authenticated\":true"), std::string::npos);
	}
	for (auto& c: silent)
		EXPECT_NE(c->waitEnd(5000), RawClient::End::Timeout) << "server.tls.handshake_timeout";
}

TEST_F(TlsServer, PlainConnectionsAreNotServed)
{
	ServerProcess server(options());
	waitTls(server.port());
	EXPECT_ANY_THROW(RpcClient plain(server.port()));
}

} // namespace
