#include "DownloadHandler.h"
#include "ByteRange.h"
#include "MediaNames.h"
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using Poco::Net::HTTPResponse;

namespace camsvc {
namespace storage {

namespace {

void sendError(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& reason)
{
	Poco::JSON::Object body;
	body.set("error", HTTPResponse::getReasonForStatus(status));
	body.set("reason", reason);
	std::ostringstream out;
	body.stringify(out);
	std::string text = out.str();
	response.setStatus(status);
	response.setContentType("application/json");
	response.setContentLength(static_cast<std::streamsize>(text.size()));
	response.send() << text;
}

class FileDescriptor
{
public:
	explicit FileDescriptor(int fd): _fd(fd) {}
	~FileDescriptor() { if (_fd >= 0) ::close(_fd); }
	FileDescriptor(const FileDescriptor&) = delete;
	FileDescriptor& operator=(const FileDescriptor&) = delete;
	int get() const { return _fd; }

private:
	int _fd;
};

} // namespace

DownloadHandler::DownloadHandler(MediaLibrary& library, sdk::MediaKind kind, std::string pathPrefix,
	sdk::Counter* downloads, sdk::Counter* bytesSent):
	_library(library), _kind(kind), _prefix(std::move(pathPrefix)), _downloads(downloads), _bytesSent(bytesSent)
{
}

std::string DownloadHandler::nameFromUri(const std::string& uri, const std::string& prefix)
{
	std::string path = uri.substr(0, uri.find_first_of("?#"));
	if (path.compare(0, prefix.size(), prefix) != 0)
		return {};
	std::string name;
	try
	{
		Poco::URI::decode(path.substr(prefix.size()), name);
	}
	catch (const Poco::Exception&)
	{
		return {};
	}
	return name;
}

void DownloadHandler::operator()(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
	const sdk::HttpContext&)
{
	std::string name = nameFromUri(request.getURI(), _prefix);
	std::string problem = name.empty() ? "empty" : nameProblem(_kind, name);
	if (!problem.empty())
		return sendError(response, HTTPResponse::HTTP_BAD_REQUEST, problem);
	FileDescriptor fd(_library.openForDownload(_kind, name));
	struct stat st{};
	if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
		return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "file_not_found");

	const auto size = static_cast<std::uint64_t>(st.st_size);
	response.set("Accept-Ranges", "bytes");
	response.set("Last-Modified", Poco::DateTimeFormatter::format(
		Poco::Timestamp::fromEpochTime(st.st_mtim.tv_sec), Poco::DateTimeFormat::HTTP_FORMAT));
	response.set("Cache-Control", "private, no-cache");
	ByteRange range = parseRange(request.get("Range", ""), size);
	if (range.kind == ByteRange::Unsatisfiable)
	{
		response.set("Content-Range", "bytes */" + std::to_string(size));
		return sendError(response, HTTPResponse::HTTP_REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable");
	}
	std::uint64_t first = 0, length = size;
	if (range.kind == ByteRange::Partial)
	{
		first = range.first;
		length = range.length();
		response.setStatus(HTTPResponse::HTTP_PARTIAL_CONTENT);
		response.set("Content-Range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size));
	}
	else
		response.setStatus(HTTPResponse::HTTP_OK);
	response.setContentType(contentType(extensionOf(name)));
	response.setContentLength64(static_cast<Poco::Int64>(length));
	std::ostream& out = response.send();
	if (_downloads)
		_downloads->inc();
	if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
		return;

	std::vector<char> buffer(64 * 1024);
	auto offset = static_cast<off_t>(first);
	while (length > 0 && out.good())
	{
		ssize_t n = ::pread(fd.get(), buffer.data(), static_cast<std::size_t>(std::min<std::uint64_t>(length, buffer.size())), offset);
		if (n <= 0)
			break; // truncated under us: the client sees a short body
		out.write(buffer.data(), n);
		offset += n;
		length -= static_cast<std::uint64_t>(n);
		if (_bytesSent)
			_bytesSent->inc(static_cast<std::uint64_t>(n));
	}
	out.flush();
}

} } // namespace camsvc::storage
