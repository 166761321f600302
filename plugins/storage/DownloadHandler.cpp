#include "DownloadHandler.h"
#include "ByteRange.h"
#include "MediaNames.h"
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sys/stat.h>
#include <unistd.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <sstream>

using Poco::Net::HTTPResponse;

namespace camsvc::storage {

namespace {

void sendError(sdk::HttpResponse& response, int status, const std::string& reason)
{
	Poco::JSON::Object body;
	body.set("error", HTTPResponse::getReasonForStatus(static_cast<HTTPResponse::HTTPStatus>(status)));
	body.set("reason", reason);
	std::ostringstream out;
	body.stringify(out);
	response.status = status;
	response.setBody(out.str(), "application/json");
}

class FileDescriptor
{
public:
	explicit FileDescriptor(int fd): _fd(fd) {}
	~FileDescriptor() { if (_fd >= 0) ::close(_fd); }
	FileDescriptor(const FileDescriptor&) = delete;
	FileDescriptor& operator=(const FileDescriptor&) = delete;
	int get() const { return _fd; }
	int release() { int fd = _fd; _fd = -1; return fd; }

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

void DownloadHandler::operator()(const sdk::HttpRequest& request, sdk::HttpResponse& response, const sdk::HttpContext&)
{
	std::string name = nameFromUri(request.uri, _prefix);
	std::string problem = name.empty() ? "empty" : nameProblem(_kind, name);
	if (!problem.empty())
		return sendError(response, 400, problem);
	FileDescriptor fd(_library.openForDownload(_kind, name));
	struct stat st{};
	if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
		return sendError(response, 404, "file_not_found");

	const auto size = static_cast<std::uint64_t>(st.st_size);
	response.headers.set("Accept-Ranges", "bytes");
	response.headers.set("Last-Modified", Poco::DateTimeFormatter::format(
		Poco::Timestamp::fromEpochTime(st.st_mtim.tv_sec), Poco::DateTimeFormat::HTTP_FORMAT));
	response.headers.set("Cache-Control", "private, no-cache");
	ByteRange range = parseRange(request.get("Range", ""), size);
	if (range.kind == ByteRange::Unsatisfiable)
	{
		response.headers.set("Content-Range", "bytes */" + std::to_string(size));
		return sendError(response, 416, "range_not_satisfiable");
	}
	std::uint64_t first = 0, length = size;
	response.status = 200;
	if (range.kind == ByteRange::Partial)
	{
		first = range.first;
		length = range.length();
		response.status = 206;
		response.headers.set("Content-Range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size));
	}
	response.headers.set("Content-Type", contentType(extensionOf(name)));
	if (_downloads)
		_downloads->inc();
	if (_bytesSent && !request.isHead())
		_bytesSent->inc(length);
	response.fileDescriptor = fd.release();
	response.fileOffset = first;
	response.fileLength = length;
}

} // namespace camsvc::storage
