#include "support/HttpClient.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace camsvc::test {

std::pair<int, std::string> httpRequest(int port, const std::string& method, const std::string& path,
	const std::string& bearer, const std::string& body, const std::map<std::string, std::string>& headers)
{
	Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
	session.setTimeout(Poco::Timespan(30, 0));
	Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
	if (!bearer.empty())
		request.set("Authorization", "Bearer " + bearer);
	for (const auto& [name, value]: headers)
		request.set(name, value);
	if (!body.empty())
	{
		request.setContentType("application/json");
		request.setContentLength(static_cast<std::streamsize>(body.size()));
	}
	session.sendRequest(request) << body;
	Poco::Net::HTTPResponse response;
	std::string text;
	Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
	return {static_cast<int>(response.getStatus()), text};
}

} // namespace camsvc::test
