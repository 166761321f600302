//
// ConsoleRoutes.h
//
// The console's HTTP glue: copies ConsoleAnswers into the core's response.
// GET / and /console/* serve assets; GET /console/live/<camera> streams a
// LiveView as one chunked response of fragmented MP4 (Content-Type carries
// the codec): the viewer's fragments are written into the core's HttpStream
// as they are made, and one janitor thread retires the views whose client
// left or whose camera stopped — no thread per viewer.
//

#ifndef CAMSVC_CONSOLE_CONSOLEROUTES_H
#define CAMSVC_CONSOLE_CONSOLEROUTES_H

#include "ConsoleAnswers.h"
#include "camsvc/sdk/Http.h"
#include "camsvc/sdk/PeriodicTask.h"
#include <Poco/Logger.h>
#include <list>
#include <memory>
#include <mutex>

namespace camsvc::console {

void serveAsset(const AssetTable& assets, const sdk::HttpRequest& request, sdk::HttpResponse& response);

class LiveStreams
{
public:
	explicit LiveStreams(Poco::Logger& logger);
	~LiveStreams();
		/// Closes every stream and joins the janitor.

	void serve(LiveViews* views, const sdk::HttpRequest& request, sdk::HttpResponse& response);
		/// Worker thread: opens the view (waits for its init segment, at most
		/// console.live.start_timeout_ms) and answers with a stream.

private:
	struct Session
	{
		std::shared_ptr<LiveView> view;
		std::shared_ptr<sdk::HttpStream> stream;
	};

	void add(Session session);
	void retire();

	Poco::Logger& _logger;
	std::mutex _mutex;
	std::list<Session> _sessions;
	bool _stopping = false;
	sdk::PeriodicTask _janitor; // last: stopped before the sessions it retires go
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_CONSOLEROUTES_H
