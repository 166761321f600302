#include "http/HttpResponseWriter.h"
#include "rpc/Json.h"
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <cstdio>
#include <unistd.h>

#ifndef CAMSVC_VERSION
#define CAMSVC_VERSION "0.0.0"
#endif

namespace camsvc::core {

FileRange::~FileRange()
{
	if (fd >= 0)
		::close(fd);
}

std::shared_ptr<FileRange> takeFileBody(sdk::HttpResponse& response)
{
	if (response.fileDescriptor < 0)
		return nullptr;
	auto file = std::make_shared<FileRange>();
	file->fd = response.fileDescriptor;
	file->offset = response.fileOffset;
	file->length = response.fileLength;
	response.fileDescriptor = -1;
	return file;
}

std::string serializeResponseHead(const sdk::HttpResponse& response, std::optional<std::uint64_t> contentLength, bool keepAlive)
{
	auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
	std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
	for (const auto& [name, value]: response.headers)
	{
		if (Poco::icompare(name, "Content-Length") == 0 || Poco::icompare(name, "Connection") == 0
			|| Poco::icompare(name, "Transfer-Encoding") == 0)
			continue; // framing is the core's
		if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos)
			continue; // no header injection from a handler's data
		head += name + ": " + value + "\r\n";
	}
	if (response.status != 304 && response.status != 204 && (response.status >= 200 || response.status < 100))
		head += contentLength ? "Content-Length: " + std::to_string(*contentLength) + "\r\n" : std::string("Transfer-Encoding: chunked\r\n");
	head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
	head += "Date: " + Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::HTTP_FORMAT) + "\r\n";
	head += "Server: camera-service/" CAMSVC_VERSION "\r\n\r\n";
	return head;
}

std::string chunk(std::string_view bytes)
{
	char size[24];
	int n = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
	std::string out(size, static_cast<std::size_t>(n));
	out.append(bytes);
	out += "\r\n";
	return out;
}

std::string errorToken(int status)
{
	if (status == 413)
		return "too_large";
	std::string phrase = Poco::toLower(Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)));
	for (char& c: phrase)
		if (c == ' ' || c == '-')
			c = '_';
	return phrase;
}

std::string httpErrorBody(int status, const std::string& reason)
{
	Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
	body->set("error", errorToken(status));
	body->set("reason", reason);
	return toJson(body);
}

} // namespace camsvc::core
