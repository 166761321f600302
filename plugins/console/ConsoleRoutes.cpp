#include "ConsoleRoutes.h"
#include <chrono>

namespace camsvc::console {

namespace {

void copy(const HttpAnswer& answer, sdk::HttpResponse& response, bool withBody)
{
	response.status = answer.status;
	for (const auto& [name, value]: answer.headers)
		response.headers.set(name, value);
	if (withBody)
		response.body = answer.body;
}

} // namespace

void serveAsset(const AssetTable& assets, const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
	copy(assetAnswer(assets, request.path, request.get("If-None-Match", "")), response, true);
}

LiveStreams::LiveStreams(Poco::Logger& logger): _logger(logger)
{
	_janitor.start(std::chrono::milliseconds(250), [this] { retire(); });
}

LiveStreams::~LiveStreams()
{
	{
		std::lock_guard lock(_mutex);
		_stopping = true; // a stream starting now is closed at once
	}
	_janitor.stop();
	for (auto& session: _sessions)
		session.stream->close();
}

void LiveStreams::serve(LiveViews* views, const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
	LiveAnswer live = liveAnswer(views, request.path);
	copy(live.head, response, !live.view);
	if (!live.view || request.isHead())
		return;
	std::shared_ptr<LiveView> view(std::move(live.view));
	response.onStream = [this, view, init = std::move(live.initSegment)](std::shared_ptr<sdk::HttpStream> stream) {
		stream->write(init);
		view->viewer().queue().attach(stream);
		_logger.debug("live view of %s started", view->camera());
		add(Session{view, std::move(stream)});
	};
}

void LiveStreams::add(Session session)
{
	std::lock_guard lock(_mutex);
	if (_stopping)
	{
		session.stream->close();
		return;
	}
	_sessions.push_back(std::move(session));
}

void LiveStreams::retire()
{
	std::list<Session> done;
	{
		std::lock_guard lock(_mutex);
		for (auto it = _sessions.begin(); it != _sessions.end();)
		{
			auto& queue = it->view->viewer().queue();
			if (queue.closed() || !it->stream->open())
			{
				queue.close("client_gone");
				it->stream->close();
				done.splice(done.end(), _sessions, it++);
			}
			else
				++it;
		}
	}
	for (auto& session: done)
		_logger.debug("live view of %s ended: %s", session.view->camera(), session.view->viewer().queue().reason());
	done.clear(); // unsubscribes from the pipeline here, never in its callback
}

} // namespace camsvc::console
