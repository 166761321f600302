//
// HttpResponseWriter.h
//
// The bytes of an HTTP/1.1 response head, and the file body a handler
// handed over (the descriptor is owned from here on and closed when sent
// or dropped).
//

#ifndef CAMSVC_CORE_HTTPRESPONSEWRITER_H
#define CAMSVC_CORE_HTTPRESPONSEWRITER_H

#include "camsvc/sdk/Http.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <string>

namespace camsvc::core {

struct FileRange
{
	int fd = -1;
	std::uint64_t offset = 0;
	std::uint64_t length = 0;

	FileRange() = default;
	FileRange(const FileRange&) = delete;
	FileRange& operator=(const FileRange&) = delete;
	~FileRange();
};

std::shared_ptr<FileRange> takeFileBody(sdk::HttpResponse& response);
	/// The response's file (fd, offset, length), now owned by the result;
	/// null when the body is response.body.

std::string serializeResponseHead(const sdk::HttpResponse& response, std::optional<std::uint64_t> contentLength, bool keepAlive);
	/// Status line, the handler's headers, Content-Length (chunked transfer
	/// coding when there is none: a streamed body), Connection, Date and
	/// Server; ends with the blank line.
std::string chunk(std::string_view bytes);
	/// One piece of a chunked body; an empty one ends it.

std::string errorToken(int status);
	/// "not_found", "unauthorized", "too_large", ...: the status as a JSON token.
std::string httpErrorBody(int status, const std::string& reason);
	/// {"error": errorToken(status), "reason": reason}, the JSON every error answer carries.

} // namespace camsvc::core

#endif // CAMSVC_CORE_HTTPRESPONSEWRITER_H
