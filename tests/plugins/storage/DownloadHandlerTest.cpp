//
// DownloadHandlerTest.cpp
//
// The download handler on its own (the core's reactor sends what it
// answers; the server tests cover the wire and authentication): whole
// files, ranges, 416, HEAD, and every traversal form. The body is read from
// the descriptor the handler hands over, at the range it names.
//

#include "DownloadHandler.h"
#include "StorageTestUtil.h"
#include <unistd.h>
#include <gtest/gtest.h>

using namespace camsvc::storage;
using namespace camsvc::sdk;
using camsvc::test::MediaTree;
using camsvc::test::writeFile;

namespace {

struct Reply
{
	int status = 0;
	std::string body;
	HttpResponse response;
	std::uint64_t length = 0; // what the core would announce as Content-Length
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
	}

	Reply get(const std::string& uri, const std::string& range = "", const std::string& method = "GET")
	{
		HttpRequest request;
		request.method = method;
		request.uri = uri;
		request.path = uri.substr(0, uri.find('?'));
		if (!range.empty())
			request.headers.set("Range", range);
		Reply reply;
		(*handler)(request, reply.response, HttpContext());
		reply.status = reply.response.status;
		if (reply.response.fileDescriptor >= 0)
		{
			reply.length = reply.response.fileLength;
			std::string bytes(reply.response.fileLength, '\0');
			ssize_t n = ::pread(reply.response.fileDescriptor, bytes.data(), bytes.size(), static_cast<off_t>(reply.response.fileOffset));
			EXPECT_EQ(n, static_cast<ssize_t>(bytes.size()));
			::close(reply.response.fileDescriptor);
			if (method != "HEAD")
				reply.body = bytes;
		}
		else
		{
			reply.length = reply.response.body.size();
			reply.body = reply.response.body;
		}
		return reply;
	}

	MediaTree tree;
	std::string content;
	std::unique_ptr<DownloadHandler> handler;
};

} // namespace

TEST_F(DownloadTest, WholeFileWithHeaders)
{
	Reply r = get("/files/recordings/clip.mp4");
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.body, content);
	EXPECT_EQ(r.length, 200000);
	EXPECT_EQ(r.response.headers.get("Content-Type"), "video/mp4");
	EXPECT_EQ(r.response.headers.get("Accept-Ranges"), "bytes");
	EXPECT_FALSE(r.response.headers.get("Last-Modified", "").empty());
}

TEST_F(DownloadTest, RangesAndSeeks)
{
	Reply first = get("/files/recordings/clip.mp4", "bytes=0-99");
	EXPECT_EQ(first.status, 206);
	EXPECT_EQ(first.body, content.substr(0, 100));
	EXPECT_EQ(first.response.headers.get("Content-Range"), "bytes 0-99/200000");
	Reply middle = get("/files/recordings/clip.mp4", "bytes=100000-");
	EXPECT_EQ(middle.status, 206);
	EXPECT_EQ(middle.body, content.substr(100000));
	Reply suffix = get("/files/recordings/clip.mp4", "bytes=-7");
	EXPECT_EQ(suffix.status, 206);
	EXPECT_EQ(suffix.body, content.substr(content.size() - 7));
	EXPECT_EQ(suffix.response.headers.get("Content-Range"), "bytes 199993-199999/200000");
	Reply beyond = get("/files/recordings/clip.mp4", "bytes=200000-");
	EXPECT_EQ(beyond.status, 416);
	EXPECT_EQ(beyond.response.headers.get("Content-Range"), "bytes */200000");
	Reply head = get("/files/recordings/clip.mp4", "", "HEAD");
	EXPECT_EQ(head.status, 200);
	EXPECT_EQ(head.length, 200000);
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
