//
// ConsoleRoutes.h
//
// The console's HTTP glue for the Poco HTTP server: copies ConsoleAnswers
// into the response. GET / and /console/* serve assets; GET
// /console/live/<camera> streams a LiveView as one chunked response of
// fragmented MP4 (Content-Type carries the codec), one write per fragment.
//

#ifndef CAMSVC_CONSOLE_CONSOLEROUTES_H
#define CAMSVC_CONSOLE_CONSOLEROUTES_H

#include "ConsoleAnswers.h"
#include "camsvc/sdk/Http.h"
#include <Poco/Logger.h>

namespace camsvc {
namespace console {

void serveAsset(const AssetTable& assets, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

void serveLive(LiveViews* views, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
	Poco::Logger& logger);
	/// Blocks while the view lasts: until the client goes, the camera stops
	/// or the service shuts down.

} } // namespace camsvc::console

#endif // CAMSVC_CONSOLE_CONSOLEROUTES_H
