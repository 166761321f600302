//
// FuzzHttpRequestReader.cpp
//
// libFuzzer target: client bytes through the front door's incremental HTTP
// request reader (head, Content-Length and chunked bodies, pipelining),
// delivered in pieces whose sizes come from the first byte, against small
// limits so the caps are reached, re-fed from the same buffer as the
// connection does. What the reader promises: NeedMore leaves at most a
// partial line or head in the buffer, bounded by the caps; a complete request has a method, a URI and a body
// within the cap; an error is a 4xx/5xx status with a reason, after which
// the connection is closed (nothing more is fed).
//

#include "http/HttpRequestReader.h"
#include <cstdio>
#include <cstdlib>

using namespace camsvc::core;

namespace {

[[noreturn]] void bad(const char* what)
{
	::fprintf(stderr, "HTTP reader invariant broken: %s\n", what);
	std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	if (size < 1)
		return 0;
	const std::size_t piece = 1 + data[0] % 64; // bytes per read() the connection would see
	HttpLimits limits;
	limits.maxHeadBytes = 1024;
	limits.maxBodyBytes = 2048;
	HttpRequestReader reader(limits);
	std::string input;
	std::size_t pos = 1;
	int requests = 0;
	while (pos < size || !input.empty())
	{
		if (pos < size)
		{
			std::size_t n = std::min(piece, size - pos);
			input.append(reinterpret_cast<const char*>(data + pos), n);
			pos += n;
		}
		const std::size_t before = input.size();
		HttpRequestReader::Status status = reader.feed(input);
		if (input.size() > before)
			bad("feed() grew its input");
		if (status == HttpRequestReader::Status::NeedMore)
		{
			if (input.size() > limits.maxHeadBytes + 16384)
				bad("NeedMore buffers more than a head or a chunk line");
			if (pos >= size)
				break; // the rest has not arrived
			continue;
		}
		if (status == HttpRequestReader::Status::Error)
		{
			if (reader.errorStatus() < 400 || reader.errorStatus() > 599 || reader.errorReason().empty())
				bad("error without a 4xx/5xx status and a reason");
			return 0; // the connection answers and closes
		}
		const auto& request = reader.request();
		if (request.method.empty() || request.uri.empty())
			bad("complete request without method or URI");
		if (request.body.size() > limits.maxBodyBytes)
			bad("body over the cap");
		if (++requests > 1000)
			bad("more requests than bytes allow");
		reader.reset();
	}
	return 0;
}
