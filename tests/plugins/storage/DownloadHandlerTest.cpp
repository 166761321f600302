//
// DownloadHandlerTest.cpp
//
// The download handler behind a real Poco HTTP server on loopback (without
// the core's authentication, which the server tests cover): whole files,
// ranges, 416, HEAD, and every traversal form.
//

#include "DownloadHandler.h"
#include "StorageTestUtil.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

using namespace camsvc::storage;
using namespace camsvc::sdk;
using camsvc::test::MediaTree;
using camsvc::test::writeFile;
using namespace Poco::Net;

namespace {

class Factory: public HTTPRequestHandlerFactory
{
public:
	explicit Factory(DownloadHandler& handler): _handler(handler) {}
	HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override
	{
		struct Handler: HTTPRequestHandler
		{
			DownloadHandler& h;
			explicit Handler(DownloadHandler& handler): h(handler) {}
			void handleRequest(HTTPServerRequest& req, HTTPServerResponse& resp) override { h(req, resp, HttpContext()); }
		};
		return new Handler(_handler);
	}

private:
	DownloadHandler& _handler;
};

struct Reply
{
	int status = 0;
	std::string body;
	HTTPResponse response;
};

class DownloadTest: public ::testing::Test
{
protected:
	void SetUp() override
	{
		content.resize(200000);
		for (std::size_t i = 0; i < content.size(); ++i)
			content[i] = static_cast<char>('a' + i % 26);
		std::ofstream(tree.recordings() + "/clip.mp4", std::ios::binary) << content;
		writeFile(tree.root + "/secret.mp4", 10, 's');
		std::filesystem::create_symlink(tree.root + "/secret.mp4", tree.recordings() + "/link.mp4");
		handler = std::make_unique<DownloadHandler>(*tree.library, MediaKind::Recording, "/files/recordings/");
		server = std::make_unique<HTTPServer>(new Factory(*handler), ServerSocket(SocketAddress("127.0.0.1", 0)), new HTTPServerParams);
		server->start();
	}
	void TearDown() override { server->stop(); }

	Reply get(const std::string& uri, const std::string& range = "", const std::string& method = "GET")
	{
		HTTPClientSession session("127.0.0.1", server->port());
		HTTPRequest request(method, uri, HTTPMessage::HTTP_1_1);
		if (!range.empty())
			request.set("Range", range);
		session.sendRequest(request);
		Reply reply;
		std::istream& in = session.receiveResponse(reply.response);
		if (method != "HEAD")
			Poco::StreamCopier::copyToString(in, reply.body);
		reply.status = reply.response.getStatus();
		return reply;
	}

	MediaTree tree;
	std::string content;
	std::unique_ptr<DownloadHandler> handler;
	std::unique_ptr<HTTPServer> server;
};

} // namespace

TEST_F(DownloadTest, WholeFileWithHeaders)
{
	Reply r = get("/files/recordings/clip.mp4");
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.body, content);
	EXPECT_EQ(r.response.getContentLength64(), 200000);
	EXPECT_EQ(r.response.getContentType(), "video/mp4");
	EXPECT_EQ(r.response.get("Accept-Ranges"), "bytes");
	EXPECT_FALSE(r.response.get("Last-Modified", "").empty());
}

TEST_F(DownloadTest, RangesAndSeeks)
{
	Reply first = get("/files/recordings/clip.mp4", "bytes=0-99");
	EXPECT_EQ(first.status, 206);
	EXPECT_EQ(first.body, content.substr(0, 100));
	EXPECT_EQ(first.response.get("Content-Range"), "bytes 0-99/200000");
	Reply middle = get("/files/recordings/clip.mp4", "bytes=100000-");
	EXPECT_EQ(middle.status, 206);
	EXPECT_EQ(middle.body, content.substr(100000));
	Reply suffix = get("/files/recordings/clip.mp4", "bytes=-7");
	EXPECT_EQ(suffix.status, 206);
	EXPECT_EQ(suffix.body, content.substr(content.size() - 7));
	EXPECT_EQ(suffix.response.get("Content-Range"), "bytes 199993-199999/200000");
	Reply beyond = get("/files/recordings/clip.mp4", "bytes=200000-");
	EXPECT_EQ(beyond.status, 416);
	EXPECT_EQ(beyond.response.get("Content-Range"), "bytes */200000");
	Reply head = get("/files/recordings/clip.mp4", "", "HEAD");
	EXPECT_EQ(head.status, 200);
	EXPECT_EQ(head.response.getContentLength64(), 200000);
}

TEST_F(DownloadTest, TraversalFormsAreRefused)
{
	for (const std::string uri: {"/files/recordings/../../../etc/passwd", "/files/recordings/..%2F..%2Fetc%2Fpasswd",
			"/files/recordings/%2Fetc%2Fpasswd", "/files/recordings/..%5Csecret.mp4", "/files/recordings/%2e%2e/secret.mp4",
			"/files/recordings/clip.mp4%00.mp4", "/files/recordings/", "/files/recordings/sub/clip.mp4",
			"/files/recordings/%zz.mp4"})
	{
		Reply r = get(uri);
		EXPECT_EQ(r.status, 400) << uri;
		EXPECT_EQ(r.body.find("root:"), std::string::npos);
	}
	EXPECT_EQ(get("/files/recordings/link.mp4").status, 404) << "symlink pointing outside";
	EXPECT_EQ(get("/files/recordings/missing.mp4").status, 404);
	EXPECT_EQ(get("/files/recordings/clip.mp4?x=1").status, 200);
	EXPECT_EQ(get("/files/recordings/clip%2Emp4").status, 200) << "an encoded dot is just a dot";
}
