#include "http/HttpRequestReader.h"
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <sstream>
#include <string_view>

namespace camsvc::core {

namespace {

constexpr std::size_t MaxChunkLine = 1024;    // size, extensions, CRLF
constexpr std::size_t MaxTrailerBytes = 8192;

std::size_t headEnd(const std::string& input, std::size_t& terminator)
	/// Position of the blank line ending the head (CRLF CRLF, or the bare LF
	/// form RFC 9112 §2.2 lets a server accept), npos if not there yet.
{
	std::size_t crlf = input.find("\r\n\r\n");
	std::size_t lf = input.find("\n\n");
	if (lf != std::string::npos && (crlf == std::string::npos || lf < crlf))
	{
		terminator = 2;
		return lf;
	}
	terminator = 4;
	return crlf;
}

bool isToken(const std::string& text)
	/// RFC 9110 §5.6.2 token: methods and field names.
{
	if (text.empty())
		return false;
	for (unsigned char c: text)
		if (c <= 32 || c >= 127 || std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) != std::string_view::npos)
			return false;
	return true;
}

bool parseDecimal(const std::string& text, std::uint64_t& value)
{
	if (text.empty() || text.size() > 19)
		return false;
	for (char c: text)
		if (c < '0' || c > '9')
			return false;
	value = std::stoull(text);
	return true;
}

} // namespace

HttpRequestReader::HttpRequestReader(const HttpLimits& limits): _limits(limits)
{
}

void HttpRequestReader::reset()
{
	_state = State::Head;
	_headStarted = false;
	_expectContinue = false;
	_keepAlive = true;
	_remaining = 0;
	_trailerBytes = 0;
	_request = sdk::HttpRequest();
	_errorStatus = 0;
	_errorReason.clear();
}

HttpRequestReader::Status HttpRequestReader::fail(int status, std::string reason)
{
	_errorStatus = status;
	_errorReason = std::move(reason);
	_keepAlive = false;
	return Status::Error;
}

HttpRequestReader::Status HttpRequestReader::feed(std::string& input)
{
	std::size_t pos = 0;
	Status status = Status::NeedMore;
	if (_state == State::Head)
	{
		// Empty lines before a request line are ignored (RFC 9112 §2.2).
		std::size_t skip = input.find_first_not_of("\r\n");
		if (skip == std::string::npos)
		{
			input.clear();
			return Status::NeedMore;
		}
		_headStarted = true;
		std::size_t terminator = 0;
		std::size_t end = headEnd(input, terminator);
		if (end == std::string::npos)
			return input.size() > _limits.maxHeadBytes ? fail(431, "header_too_large") : Status::NeedMore;
		if (end + terminator > _limits.maxHeadBytes)
			return fail(431, "header_too_large");
		status = parseHead(input.substr(skip, end + terminator - skip));
		pos = end + terminator;
		if (status != Status::NeedMore)
		{
			input.erase(0, pos);
			return status;
		}
	}
	status = (_state == State::FixedBody) ? readFixed(input, pos) : readChunked(input, pos);
	input.erase(0, pos);
	if (status == Status::Complete)
		_expectContinue = false;
	return status;
}

HttpRequestReader::Status HttpRequestReader::parseHead(const std::string& head)
{
	Poco::Net::HTTPRequest parsed;
	try
	{
		std::istringstream in(head);
		parsed.read(in);
	}
	catch (const Poco::Exception&)
	{
		return fail(400, "malformed_request_head");
	}
	const std::string& version = parsed.getVersion();
	if (version != Poco::Net::HTTPMessage::HTTP_1_1 && version != Poco::Net::HTTPMessage::HTTP_1_0)
		return fail(505, "http_version_not_supported");
	if (!isToken(parsed.getMethod()) || parsed.getURI().empty())
		return fail(400, "malformed_request_line");
	for (const auto& field: parsed)
		if (!isToken(field.first))
			return fail(400, "malformed_header_field");

	_request.method = parsed.getMethod();
	_request.uri = parsed.getURI();
	_request.path = _request.uri.substr(0, _request.uri.find('?'));
	_request.headers = static_cast<const Poco::Net::NameValueCollection&>(parsed);

	const bool http11 = version == Poco::Net::HTTPMessage::HTTP_1_1;
	const std::string connection = Poco::toLower(parsed.get("Connection", ""));
	_keepAlive = http11 ? connection.find("close") == std::string::npos : connection.find("keep-alive") != std::string::npos;

	// Message body framing (RFC 9112 §6.3): any ambiguity is refused, as a
	// request a proxy in front of us might frame differently is a smuggling vector.
	std::size_t lengths = 0, encodings = 0;
	std::string length, encoding;
	for (const auto& [name, value]: _request.headers)
	{
		if (Poco::icompare(name, "Content-Length") == 0)
		{
			++lengths;
			length = Poco::trim(value);
		}
		else if (Poco::icompare(name, "Transfer-Encoding") == 0)
		{
			++encodings;
			encoding = Poco::toLower(Poco::trim(value));
		}
	}
	if (lengths > 1)
		return fail(400, "duplicate_content_length");
	if (encodings > 1)
		return fail(400, "duplicate_transfer_encoding");
	if (lengths && encodings)
		return fail(400, "content_length_with_transfer_encoding");
	if (encodings)
	{
		if (!http11)
			return fail(400, "transfer_encoding_in_http_1_0");
		if (encoding != "chunked")
			return fail(501, "unsupported_transfer_encoding");
		_state = State::ChunkSize;
	}
	else
	{
		std::uint64_t bytes = 0;
		if (lengths && !parseDecimal(length, bytes))
			return fail(400, "invalid_content_length");
		if (bytes > _limits.maxBodyBytes)
			return fail(413, "body_too_large");
		_remaining = bytes;
		_state = State::FixedBody;
		if (bytes == 0)
			return Status::Complete;
		_request.body.reserve(static_cast<std::size_t>(bytes));
	}
	_expectContinue = http11 && Poco::icompare(parsed.get("Expect", ""), "100-continue") == 0;
	return Status::NeedMore;
}

HttpRequestReader::Status HttpRequestReader::readFixed(std::string& input, std::size_t& pos)
{
	std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(_remaining, input.size() - pos));
	_request.body.append(input, pos, take);
	pos += take;
	_remaining -= take;
	return _remaining == 0 ? Status::Complete : Status::NeedMore;
}

HttpRequestReader::Status HttpRequestReader::readChunked(std::string& input, std::size_t& pos)
{
	while (pos < input.size())
	{
		switch (_state)
		{
		case State::ChunkSize:
		{
			std::size_t eol = input.find('\n', pos);
			if (eol == std::string::npos)
				return input.size() - pos > MaxChunkLine ? fail(400, "malformed_chunk_size") : Status::NeedMore;
			if (eol - pos > MaxChunkLine)
				return fail(400, "malformed_chunk_size");
			std::string line = input.substr(pos, eol - pos);
			pos = eol + 1;
			if (!line.empty() && line.back() == '\r')
				line.pop_back();
			std::string size = Poco::trim(line.substr(0, line.find(';'))); // extensions are ignored
			if (size.empty() || size.size() > 16 || size.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
				return fail(400, "malformed_chunk_size");
			_remaining = std::stoull(size, nullptr, 16);
			if (_remaining > _limits.maxBodyBytes - _request.body.size())
				return fail(413, "body_too_large");
			_state = _remaining == 0 ? State::Trailer : State::ChunkData;
			break;
		}
		case State::ChunkData:
		{
			std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(_remaining, input.size() - pos));
			_request.body.append(input, pos, take);
			pos += take;
			_remaining -= take;
			if (_remaining == 0)
				_state = State::ChunkDataEnd;
			break;
		}
		case State::ChunkDataEnd:
		{
			if (input[pos] == '\r')
			{
				if (pos + 1 >= input.size())
					return Status::NeedMore;
				++pos;
			}
			if (input[pos] != '\n')
				return fail(400, "malformed_chunk");
			++pos;
			_state = State::ChunkSize;
			break;
		}
		case State::Trailer:
		{
			// Trailer fields are read and dropped, up to a blank line.
			std::size_t eol = input.find('\n', pos);
			if (eol == std::string::npos)
			{
				_trailerBytes += input.size() - pos;
				pos = input.size();
				return _trailerBytes > MaxTrailerBytes ? fail(400, "trailer_too_large") : Status::NeedMore;
			}
			std::size_t lineLength = eol - pos;
			bool blank = lineLength == 0 || (lineLength == 1 && input[pos] == '\r');
			_trailerBytes += lineLength + 1;
			pos = eol + 1;
			if (_trailerBytes > MaxTrailerBytes)
				return fail(400, "trailer_too_large");
			if (blank)
				return Status::Complete;
			break;
		}
		default:
			return fail(500, "reader_state");
		}
	}
	return Status::NeedMore;
}

} // namespace camsvc::core
