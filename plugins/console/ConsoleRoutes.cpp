#include "ConsoleRoutes.h"
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sstream>

using Poco::Net::HTTPResponse;

namespace camsvc {
namespace console {

namespace {

void sendError(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& error, const std::string& reason)
{
	Poco::JSON::Object body;
	body.set("error", error);
	body.set("reason", reason);
	std::ostringstream out;
	body.stringify(out);
	std::string text = out.str();
	response.setStatus(status);
	response.setContentType("application/json");
	response.set("Cache-Control", "no-store");
	response.setContentLength(static_cast<std::streamsize>(text.size()));
	response.send() << text;
}

std::string pathOf(const std::string& uri)
{
	try
	{
		return Poco::URI(uri).getPath();
	}
	catch (const Poco::Exception&)
	{
		return {};
	}
}

} // namespace

void serveAsset(const AssetTable& assets, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	auto asset = assets.find(pathOf(request.getURI()));
	if (!asset)
		return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "no_such_path");
	response.set("ETag", std::string(asset->etag));
	response.set("Cache-Control", "no-cache"); // revalidate: an upgraded service serves new files at once
	response.set("X-Content-Type-Options", "nosniff");
	response.set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
		"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
	response.set("Referrer-Policy", "no-referrer");
	if (AssetTable::notModified(request.get("If-None-Match", ""), asset->etag))
	{
		response.setStatus(HTTPResponse::HTTP_NOT_MODIFIED);
		response.send();
		return;
	}
	response.setContentType(std::string(asset->contentType));
	response.setContentLength(static_cast<std::streamsize>(asset->body.size()));
	std::ostream& out = response.send();
	if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD)
		out.write(asset->body.data(), static_cast<std::streamsize>(asset->body.size()));
}

void serveLive(LiveViews& views, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
	Poco::Logger& logger)
{
	const std::string path = pathOf(request.getURI()); // percent-decoded
	const std::string prefix = LivePrefix;
	if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0)
		return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "camera_unavailable", "camera_not_found");
	const std::string camera = path.substr(prefix.size());
	std::unique_ptr<LiveView> view;
	try
	{
		view = views.open(camera);
	}
	catch (const sdk::RpcError& e)
	{
		auto data = e.data();
		std::string reason = data && data->has("reason") ? data->getValue<std::string>("reason") : "unavailable";
		if (e.code() == sdk::ErrorCode::CameraNotFound)
			return sendError(response, reason == "camera_not_found" ? HTTPResponse::HTTP_NOT_FOUND : HTTPResponse::HTTP_CONFLICT, "camera_unavailable", reason);
		return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable", reason);
	}
	ChunkQueue& queue = view->viewer().queue();
	std::string chunk;
	if (!queue.pop(chunk, views.settings().startTimeout))
		return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable", queue.closed() ? queue.reason() : "no_frame");

	response.setStatus(HTTPResponse::HTTP_OK);
	response.setContentType(view->viewer().mimeType());
	response.setChunkedTransferEncoding(true);
	response.set("Cache-Control", "no-store");
	response.set("X-Content-Type-Options", "nosniff");
	if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD)
	{
		response.setChunkedTransferEncoding(false);
		response.send();
		return;
	}
	logger.debug("live view of %s started (%d open)", view->camera(), views.viewers());
	std::ostream& out = response.send();
	do
	{
		out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
		out.flush();
		while (out.good() && !queue.pop(chunk, std::chrono::seconds(1)))
			if (queue.closed())
				return logger.debug("live view of %s ended: %s", view->camera(), queue.reason());
	} while (out.good());
	logger.debug("live view of %s ended: the client went away", view->camera());
}

} } // namespace camsvc::console
