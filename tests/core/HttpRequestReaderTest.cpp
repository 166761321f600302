//
// HttpRequestReaderTest.cpp
//
// The incremental HTTP/1.1 request reader on its own: heads and bodies that
// arrive a byte at a time, chunked bodies, pipelined requests, and every cap
// and framing rule it enforces.
//

#include "http/HttpRequestReader.h"
#include <gtest/gtest.h>

using namespace camsvc::core;
using Status = HttpRequestReader::Status;

namespace {

HttpLimits limits(std::size_t head = 1024, std::size_t body = 100)
{
	HttpLimits l;
	l.maxHeadBytes = head;
	l.maxBodyBytes = body;
	return l;
}

Status feedAll(HttpRequestReader& reader, const std::string& bytes, bool oneByOne)
{
	std::string input;
	Status status = Status::NeedMore;
	for (std::size_t i = 0; i < bytes.size(); ++i)
	{
		input += bytes[i];
		if (!oneByOne && i + 1 < bytes.size())
			continue;
		status = reader.feed(input);
		if (status != Status::NeedMore)
			return status;
	}
	return status;
}

TEST(HttpRequestReader, HeadAndBodyByteByByte)
{
	HttpRequestReader reader(limits());
	EXPECT_EQ(feedAll(reader, "POST /rpc?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", true), Status::Complete);
	EXPECT_EQ(reader.request().method, "POST");
	EXPECT_EQ(reader.request().uri, "/rpc?x=1");
	EXPECT_EQ(reader.request().path, "/rpc");
	EXPECT_EQ(reader.request().get("host", ""), "a") << "names compare case-insensitively";
	EXPECT_EQ(reader.request().body, "hello");
	EXPECT_TRUE(reader.keepAlive());
}

TEST(HttpRequestReader, ChunkedBodyWithExtensionsAndTrailers)
{
	HttpRequestReader reader(limits());
	EXPECT_EQ(feedAll(reader, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n", true),
		Status::Complete);
	EXPECT_EQ(reader.request().body, "hello world");
}

TEST(HttpRequestReader, PipelinedRequestStaysInTheInput)
{
	HttpRequestReader reader(limits());
	std::string input = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
	EXPECT_EQ(reader.feed(input), Status::Complete);
	EXPECT_EQ(reader.request().path, "/a");
	EXPECT_EQ(input, "GET /b HTTP/1.1\r\n\r\n");
	reader.reset();
	EXPECT_EQ(reader.feed(input), Status::Complete);
	EXPECT_EQ(reader.request().path, "/b");
	EXPECT_TRUE(input.empty());
}

TEST(HttpRequestReader, CapsAreEnforcedWhileReading)
{
	{
		HttpRequestReader reader(limits(64));
		std::string input = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a');
		EXPECT_EQ(reader.feed(input), Status::Error) << "no end of head in sight past the cap";
		EXPECT_EQ(reader.errorStatus(), 431);
	}
	{
		HttpRequestReader reader(limits());
		std::string input = "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n";
		EXPECT_EQ(reader.feed(input), Status::Error);
		EXPECT_EQ(reader.errorStatus(), 413);
	}
	{
		HttpRequestReader reader(limits());
		std::string input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" + std::string(80, 'x') + "\r\n";
		EXPECT_EQ(reader.feed(input), Status::NeedMore);
		input = "50\r\n";
		EXPECT_EQ(reader.feed(input), Status::Error) << "the second chunk would pass the cap";
		EXPECT_EQ(reader.errorStatus(), 413);
		EXPECT_LE(reader.request().body.size(), 100u);
	}
}

TEST(HttpRequestReader, AmbiguousFramingIsAnError)
{
	for (const auto& [request, status]: std::vector<std::pair<std::string, int>>{
			{"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400},
			{"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
			{"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
			{"POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400},
			{"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
			{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
			{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n", 400},
			{"GET / HTTP/3.0\r\n\r\n", 505},
			{"\x01\x02\x03 / HTTP/1.1\r\nBad Header\r\n\r\n", 400}})
	{
		HttpRequestReader reader(limits());
		std::string input = request;
		EXPECT_EQ(reader.feed(input), Status::Error) << request;
		EXPECT_EQ(reader.errorStatus(), status) << request;
		EXPECT_FALSE(reader.keepAlive());
	}
}

TEST(HttpRequestReader, ConnectionAndExpectHeaders)
{
	HttpRequestReader old(limits());
	std::string input = "GET / HTTP/1.0\r\n\r\n";
	EXPECT_EQ(old.feed(input), Status::Complete);
	EXPECT_FALSE(old.keepAlive());
	HttpRequestReader closing(limits());
	input = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
	EXPECT_EQ(closing.feed(input), Status::Complete);
	EXPECT_FALSE(closing.keepAlive());
	HttpRequestReader expecting(limits());
	input = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
	EXPECT_EQ(expecting.feed(input), Status::NeedMore);
	EXPECT_TRUE(expecting.expectsContinue());
	input = "abc";
	EXPECT_EQ(expecting.feed(input), Status::Complete);
	EXPECT_FALSE(expecting.expectsContinue());
}

} // namespace
