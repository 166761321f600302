//
// HttpRequestReader.h
//
// Reads one HTTP/1.1 request out of the bytes a connection has received,
// incrementally and without blocking: the head up to a size cap (parsed by
// Poco's HTTPRequest from the buffered bytes), then the body framed by
// Content-Length or chunked transfer coding, capped while it is read, so
// nothing past the cap is ever buffered. Framing problems that RFC 9112
// §6.3 calls unrecoverable (conflicting lengths, a Transfer-Encoding other
// than chunked) are errors; the connection must then be closed.
//

#ifndef CAMSVC_CORE_HTTPREQUESTREADER_H
#define CAMSVC_CORE_HTTPREQUESTREADER_H

#include "camsvc/sdk/Http.h"
#include <cstddef>
#include <cstdint>
#include <string>

namespace camsvc::core {

struct HttpLimits
{
	std::size_t maxHeadBytes = 16 * 1024;
	std::size_t maxBodyBytes = 1024 * 1024;
};

class HttpRequestReader
{
public:
	enum class Status
	{
		NeedMore,  // nothing complete yet; an unfinished head or chunk line stays in the input
		Complete,  // request() holds a whole request
		Error      // errorStatus()/errorReason() say why; close after answering
	};

	explicit HttpRequestReader(const HttpLimits& limits);

	Status feed(std::string& input);
		/// Consumes from the front of input what belongs to the current
		/// request; bytes of a following (pipelined) request stay in input.
	bool started() const { return _state != State::Head || _headStarted; }
		/// Whether any byte of a request has arrived (for the idle vs. head deadline).
	bool readingBody() const { return _state != State::Head; }
	bool expectsContinue() const { return _expectContinue; }
		/// The head asked "Expect: 100-continue" and the body is not complete.

	sdk::HttpRequest& request() { return _request; }
	int errorStatus() const { return _errorStatus; }
	const std::string& errorReason() const { return _errorReason; }
	bool keepAlive() const { return _keepAlive; }
		/// After Complete: whether the client allows another request on the connection.

	void reset();
		/// Ready for the next request on the same connection.

private:
	enum class State { Head, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailer };

	Status fail(int status, std::string reason);
	Status parseHead(const std::string& head);
	Status readFixed(std::string& input, std::size_t& pos);
	Status readChunked(std::string& input, std::size_t& pos);

	HttpLimits _limits;
	State _state = State::Head;
	bool _headStarted = false;
	bool _expectContinue = false;
	bool _keepAlive = true;
	std::uint64_t _remaining = 0;   // of the fixed body or the current chunk
	std::size_t _trailerBytes = 0;
	sdk::HttpRequest _request;
	int _errorStatus = 0;
	std::string _errorReason;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_HTTPREQUESTREADER_H
