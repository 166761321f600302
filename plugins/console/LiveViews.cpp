#include "LiveViews.h"
#include <stdexcept>

namespace camsvc::console {

LiveSettings LiveSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	LiveSettings s;
	s.enabled = config.getBool("console.live.enabled", s.enabled);
	s.maxViewers = config.getInt("console.live.max_viewers", s.maxViewers);
	Poco::Int64 queue = config.getInt64("console.live.queue_bytes", static_cast<Poco::Int64>(s.queueBytes));
	Poco::Int64 timeout = config.getInt64("console.live.start_timeout_ms", s.startTimeout.count());
	if (s.maxViewers < 1 || s.maxViewers > 1000)
		throw std::invalid_argument("console.live.max_viewers must be 1-1000");
	if (queue < 64 * 1024 || queue > 256ll * 1024 * 1024)
		throw std::invalid_argument("console.live.queue_bytes must be 65536-268435456");
	if (timeout < 100 || timeout > 600000)
		throw std::invalid_argument("console.live.start_timeout_ms must be 100-600000");
	s.queueBytes = static_cast<std::size_t>(queue);
	s.startTimeout = std::chrono::milliseconds(timeout);
	return s;
}

LiveView::LiveView(LiveViews& owner, std::string camera, std::shared_ptr<LiveViewer> viewer):
	_owner(owner), _camera(std::move(camera)), _viewer(std::move(viewer))
{
}

LiveView::~LiveView()
{
	_subscription.reset(); // no callback runs after this
	_owner.forget(*this);
}

LiveViews::LiveViews(std::shared_ptr<sdk::CameraService> cameras, LiveSettings settings,
	sdk::Gauge* viewersGauge, sdk::Counter* droppedCounter):
	_cameras(std::move(cameras)), _settings(settings), _viewersGauge(viewersGauge), _droppedCounter(droppedCounter)
{
}

LiveViews::~LiveViews()
{
	closeAll("shutting_down");
}

std::unique_ptr<LiveView> LiveViews::open(const std::string& camera)
{
	auto info = _cameras->require(camera, true);
	auto viewer = std::make_shared<LiveViewer>(_settings.queueBytes);
	std::unique_ptr<LiveView> view(new LiveView(*this, info->name, viewer));
	const char* refused = nullptr;
	{
		std::lock_guard lock(_mutex);
		if (_closed)
			refused = "shutting_down";
		else if (static_cast<int>(_open.size()) >= _settings.maxViewers)
			refused = "too_many_viewers";
		else
		{
			view->_entry = _open.insert(_open.end(), viewer);
			view->_registered = true;
			if (_viewersGauge)
				_viewersGauge->set(static_cast<std::int64_t>(_open.size()));
		}
	}
	if (refused)
	{
		Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
		data->set("reason", refused);
		data->set("max_viewers", _settings.maxViewers);
		throw sdk::RpcError(sdk::ErrorCode::RateLimitExceeded, "Too many live viewers", data);
	}
	view->_subscription = _cameras->subscribePackets(info->name, viewer);
	return view;
}

void LiveViews::forget(LiveView& view)
{
	std::lock_guard lock(_mutex);
	if (!view._registered)
		return;
	if (_droppedCounter && view._viewer->droppedFragments())
		_droppedCounter->inc(view._viewer->droppedFragments());
	_open.erase(view._entry);
	view._registered = false;
	if (_viewersGauge)
		_viewersGauge->set(static_cast<std::int64_t>(_open.size()));
}

void LiveViews::closeAll(const std::string& reason)
{
	std::lock_guard lock(_mutex);
	_closed = true;
	for (auto& weak: _open)
		if (auto viewer = weak.lock())
			viewer->queue().close(reason);
}

int LiveViews::viewers() const
{
	std::lock_guard lock(_mutex);
	return static_cast<int>(_open.size());
}

} // namespace camsvc::console
