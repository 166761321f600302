//
// ConsoleServerTest.cpp
//
// The console plugin's HTTP side through the running server: the page and
// its assets (security headers, ETag, 304), JSON 404 for anything else, and
// the live route: token required, unknown camera 404, a stream that starts
// with the init segment and carries the codec in its type, the viewer limit,
// and a shutdown that ends open views instead of waiting for them.
//

#include "ConsoleServer.h"
#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <thread>

using namespace camsvc::test;

namespace {

struct LiveStream
	/// One open GET /console/live/<camera>, read as a browser reads it.
{
	LiveStream(int port, const std::string& camera, const std::string& token):
		session("127.0.0.1", static_cast<Poco::UInt16>(port))
	{
		session.setTimeout(Poco::Timespan(15, 0));
		Poco::Net::HTTPRequest request("GET", "/console/live/" + camera, Poco::Net::HTTPMessage::HTTP_1_1);
		request.set("Authorization", "Bearer " + token);
		session.sendRequest(request);
		body = &session.receiveResponse(response);
	}

	std::string read(std::size_t n)
	{
		std::string bytes(n, '\0');
		body->read(bytes.data(), static_cast<std::streamsize>(n));
		bytes.resize(static_cast<std::size_t>(body->gcount()));
		return bytes;
	}

	Poco::Net::HTTPClientSession session;
	Poco::Net::HTTPResponse response;
	std::istream* body = nullptr;
};

} // namespace

TEST(ConsoleServer, ThePageAndItsAssetsAreServedWithSecurityHeadersAndETags)
{
	ServerProcess server(consoleServerOptions());
	Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
	Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
	session.sendRequest(request);
	Poco::Net::HTTPResponse response;
	std::string page((std::istreambuf_iterator<char>(session.receiveResponse(response))), std::istreambuf_iterator<char>());
	EXPECT_EQ(response.getStatus(), 200);
	EXPECT_EQ(response.getContentType(), "text/html; charset=utf-8");
	EXPECT_NE(page.find("data-testid=\"login-submit\""), std::string::npos);
	EXPECT_NE(page.find("content=\"/ws\""), std::string::npos) << "the WebSocket path from the configuration";
	EXPECT_NE(response.get("Content-Security-Policy", "").find("default-src 'self'"), std::string::npos);
	EXPECT_EQ(response.get("X-Content-Type-Options", ""), "nosniff");
	std::string etag = response.get("ETag", "");
	ASSERT_FALSE(etag.empty());

	auto [notModified, empty] = httpRequest(server.port(), "GET", "/", "", "", {{"If-None-Match", etag}});
	EXPECT_EQ(notModified, 304);
	EXPECT_TRUE(empty.empty());
	for (const char* asset: {"/console/app.js", "/console/app.css", "/console/icon.svg"})
		EXPECT_EQ(httpRequest(server.port(), "GET", asset).first, 200) << asset;
	auto [missing, body] = httpRequest(server.port(), "GET", "/console/nothing.js");
	EXPECT_EQ(missing, 404);
	EXPECT_NE(body.find("\"no_such_path\""), std::string::npos) << body;
	EXPECT_EQ(httpRequest(server.port(), "GET", "/anything/else").first, 404);
	EXPECT_EQ(httpRequest(server.port(), "GET", "/health").first, 200) << "the core's own paths still win";
}

TEST(ConsoleServer, TheLiveViewNeedsATokenAndAKnownCamera)
{
	ServerProcess server(consoleServerOptions());
	auto [anonymous, why] = httpRequest(server.port(), "GET", "/console/live/camera0");
	EXPECT_EQ(anonymous, 401);
	EXPECT_NE(why.find("missing_token"), std::string::npos) << why;
	EXPECT_EQ(httpRequest(server.port(), "GET", "/console/live/camera0", "test:viewer:x:1").first, 401) << "expired";
	auto [unknown, body] = httpRequest(server.port(), "GET", "/console/live/camera9", testToken("viewer"));
	EXPECT_EQ(unknown, 404);
	EXPECT_NE(body.find("camera_not_found"), std::string::npos) << body;
	EXPECT_EQ(httpRequest(server.port(), "GET", "/console/live/", testToken("viewer")).first, 404) << "no camera named";
	EXPECT_EQ(httpRequest(server.port(), "GET", "/console/live/%63amera9", testToken("viewer")).first, 404);
}

TEST(ConsoleServer, ALiveViewStartsWithTheInitSegmentAndTheCodec)
{
	ServerProcess server(consoleServerOptions());
	LiveStream live(server.port(), "camera0", testToken("viewer"));
	ASSERT_EQ(live.response.getStatus(), 200);
	EXPECT_EQ(live.response.getContentType().rfind("video/mp4; codecs=\"avc1.42", 0), 0u) << live.response.getContentType();
	EXPECT_TRUE(live.response.getChunkedTransferEncoding());
	EXPECT_EQ(live.response.get("Cache-Control", ""), "no-store");
	std::string head = live.read(64 * 1024);
	ASSERT_GT(head.size(), 8u);
	EXPECT_EQ(head.substr(4, 4), "ftyp");
	EXPECT_NE(head.find("moov"), std::string::npos);
	EXPECT_NE(head.find("moof"), std::string::npos) << "fragments follow the init segment";
}

TEST(ConsoleServer, ViewersAreLimitedAndAShutdownEndsOpenViews)
{
	ServerProcess server(consoleServerOptions("testsrc://?size=320x240&rate=15", 1));
	auto first = std::make_unique<LiveStream>(server.port(), "camera0", testToken("viewer"));
	ASSERT_EQ(first->response.getStatus(), 200);
	ASSERT_FALSE(first->read(1024).empty());
	auto [refused, body] = httpRequest(server.port(), "GET", "/console/live/camera0", testToken("viewer"));
	EXPECT_EQ(refused, 503);
	EXPECT_NE(body.find("too_many_viewers"), std::string::npos) << body;

	// The one view is open while the service stops: it must not hold the shutdown.
	auto started = std::chrono::steady_clock::now();
	EXPECT_EQ(server.terminate(15, 10000), 0);
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}
