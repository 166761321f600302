#include "ConsoleRoutes.h"

namespace camsvc {
namespace console {

namespace {

std::string rawPathOf(const Poco::Net::HTTPServerRequest& request)
{
	const std::string& uri = request.getURI();
	return uri.substr(0, uri.find_first_of("?#"));
}

void setHead(Poco::Net::HTTPServerResponse& response, const HttpAnswer& answer)
{
	response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
	for (const auto& [name, value]: answer.headers)
		response.set(name, value);
}

void send(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const HttpAnswer& answer)
{
	setHead(response, answer);
	response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
	std::ostream& out = response.send();
	if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD)
		out.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
}

} // namespace

void serveAsset(const AssetTable& assets, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	send(request, response, assetAnswer(assets, rawPathOf(request), request.get("If-None-Match", "")));
}

void serveLive(LiveViews* views, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
	Poco::Logger& logger)
{
	LiveAnswer live = liveAnswer(views, rawPathOf(request));
	if (!live.view || request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
		return send(request, response, live.head);
	setHead(response, live.head);
	response.setChunkedTransferEncoding(true);
	logger.debug("live view of %s started (%d open)", live.view->camera(), views->viewers());
	ChunkQueue& queue = live.view->viewer().queue();
	std::ostream& out = response.send();
	std::string chunk = std::move(live.initSegment);
	do
	{
		out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
		out.flush();
		while (out.good() && !queue.pop(chunk, std::chrono::seconds(1)))
			if (queue.closed())
				return logger.debug("live view of %s ended: %s", live.view->camera(), queue.reason());
	} while (out.good());
	logger.debug("live view of %s ended: the client went away", live.view->camera());
}

} } // namespace camsvc::console
