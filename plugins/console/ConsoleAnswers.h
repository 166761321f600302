//
// ConsoleAnswers.h
//
// What the console's routes answer, independent of the HTTP server: a
// status, headers and body for a request path, so the glue of any transport
// (ConsoleRoutes) only copies them into its response. An asset answers from
// the AssetTable (ETag, 304, security headers); a live view opens a
// LiveView and waits for its init segment, or answers an error.
//

#ifndef CAMSVC_CONSOLE_CONSOLEANSWERS_H
#define CAMSVC_CONSOLE_CONSOLEANSWERS_H

#include "AssetTable.h"
#include "LiveViews.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace camsvc::console {

constexpr const char* LivePrefix = "/console/live/";

struct HttpAnswer
{
	int status = 200;
	std::vector<std::pair<std::string, std::string>> headers; // Content-Type among them
	std::string body;                                         // whole, except for a live view
};

HttpAnswer assetAnswer(const AssetTable& assets, const std::string& rawPath, const std::string& ifNoneMatch);
	/// rawPath: the request's path, not decoded, no query. 404 (the core's
	/// JSON) for a path that is no asset; 304 when ifNoneMatch matches.

struct LiveAnswer
{
	HttpAnswer head;                 // the error, or status 200 and the stream's headers (body empty)
	std::unique_ptr<LiveView> view;  // null: head is an error answer
	std::string initSegment;         // the first chunk, to send before what view->viewer().queue() yields
};

LiveAnswer liveAnswer(LiveViews* views, const std::string& rawPath);
	/// Opens the view named by rawPath (LivePrefix + camera, percent-encoded)
	/// and waits up to console.live.start_timeout_ms for its init segment.
	/// 404 unknown camera, 409 disconnected, 503 too many viewers or no
	/// frame. views null: no cameras plugin (404).

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_CONSOLEANSWERS_H
