#include "ConsoleAnswers.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sstream>

namespace camsvc::console {

namespace {

HttpAnswer error(int status, const std::string& error, const std::string& reason)
	/// The core's JSON error body.
{
	Poco::JSON::Object body;
	body.set("error", error);
	body.set("reason", reason);
	std::ostringstream out;
	body.stringify(out);
	return HttpAnswer{status, {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}}, out.str()};
}

} // namespace

HttpAnswer assetAnswer(const AssetTable& assets, const std::string& rawPath, const std::string& ifNoneMatch)
{
	auto asset = assets.find(rawPath);
	if (!asset)
		return error(404, "not_found", "no_such_path");
	HttpAnswer a;
	a.headers = {
		{"ETag", std::string(asset->etag)},
		{"Cache-Control", "no-cache"}, // revalidate: an upgraded service serves new files at once
		{"X-Content-Type-Options", "nosniff"},
		{"Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
			"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
		{"Referrer-Policy", "no-referrer"},
	};
	if (AssetTable::notModified(ifNoneMatch, asset->etag))
	{
		a.status = 304;
		return a;
	}
	a.headers.emplace_back("Content-Type", std::string(asset->contentType));
	a.body = std::string(asset->body);
	return a;
}

LiveAnswer liveAnswer(LiveViews* views, const std::string& rawPath)
{
	LiveAnswer live;
	const std::string prefix = LivePrefix;
	std::string camera;
	try
	{
		if (rawPath.size() > prefix.size() && rawPath.compare(0, prefix.size(), prefix) == 0)
			Poco::URI::decode(rawPath.substr(prefix.size()), camera);
	}
	catch (const Poco::Exception&)
	{
		camera.clear();
	}
	if (camera.empty() || !views)
	{
		live.head = error(404, "camera_unavailable", "camera_not_found");
		return live;
	}
	try
	{
		live.view = views->open(camera);
	}
	catch (const sdk::RpcError& e)
	{
		auto data = e.data();
		std::string reason = data && data->has("reason") ? data->getValue<std::string>("reason") : "unavailable";
		if (e.code() == sdk::ErrorCode::CameraNotFound)
			live.head = error(reason == "camera_not_found" ? 404 : 409, "camera_unavailable", reason);
		else
			live.head = error(503, "unavailable", reason);
		return live;
	}
	ChunkQueue& queue = live.view->viewer().queue();
	if (!queue.pop(live.initSegment, views->settings().startTimeout))
	{
		live.head = error(503, "unavailable", queue.closed() ? queue.reason() : "no_frame");
		live.view.reset();
		return live;
	}
	live.head.headers = {
		{"Content-Type", live.view->viewer().mimeType()},
		{"Cache-Control", "no-store"},
		{"X-Content-Type-Options", "nosniff"},
	};
	return live;
}

} // namespace camsvc::console
