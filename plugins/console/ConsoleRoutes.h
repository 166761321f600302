//
// ConsoleRoutes.h
//
// The console's HTTP glue, kept thin so it moves to another transport
// easily: GET / and /console/* serve the AssetTable (ETag, 304), GET
// /console/live/<camera> streams a LiveView as one chunked response of
// fragmented MP4 (Content-Type carries the codec). Errors are the core's
// JSON bodies.
//

#ifndef CAMSVC_CONSOLE_CONSOLEROUTES_H
#define CAMSVC_CONSOLE_CONSOLEROUTES_H

#include "AssetTable.h"
#include "LiveViews.h"
#include "camsvc/sdk/Http.h"
#include <Poco/Logger.h>

namespace camsvc {
namespace console {

constexpr const char* LivePrefix = "/console/live/";

void serveAsset(const AssetTable& assets, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
	/// 404 (JSON, as the core's) for a path that is no asset.

void serveLive(LiveViews& views, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
	Poco::Logger& logger);
	/// Blocks while the view lasts: until the client goes, the camera stops
	/// or the service shuts down. 404 unknown camera, 409 disconnected, 503
	/// too many viewers or no first frame within console.live.start_timeout_ms.

} } // namespace camsvc::console

#endif // CAMSVC_CONSOLE_CONSOLEROUTES_H
