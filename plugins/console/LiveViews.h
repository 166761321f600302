//
// LiveViews.h
//
// Every live view the console serves: opens a LiveViewer on a camera
// (subscribing to its pipeline, which starts it if idle), enforces
// console.live.max_viewers, and ends every view at shutdown. A LiveView
// handle unsubscribes when the connection drops it.
//

#ifndef CAMSVC_CONSOLE_LIVEVIEWS_H
#define CAMSVC_CONSOLE_LIVEVIEWS_H

#include "LiveViewer.h"
#include "camsvc/sdk/CameraService.h"
#include "camsvc/sdk/Metrics.h"
#include <Poco/Util/AbstractConfiguration.h>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>

namespace camsvc::console {

struct LiveSettings
{
	bool enabled = true;                           // console.live.enabled
	int maxViewers = 8;                            // console.live.max_viewers
	std::size_t queueBytes = 1024 * 1024;          // console.live.queue_bytes
	std::chrono::milliseconds startTimeout{10000}; // console.live.start_timeout_ms

	static LiveSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// Throws std::invalid_argument for a value out of range.
};

class LiveViews;

class LiveView
	/// One open view. Destroy it on the connection's thread, never in a
	/// pipeline callback.
{
public:
	~LiveView();
	LiveViewer& viewer() { return *_viewer; }
	const std::string& camera() const { return _camera; }

private:
	friend class LiveViews;
	LiveView(LiveViews& owner, std::string camera, std::shared_ptr<LiveViewer> viewer);

	LiveViews& _owner;
	std::string _camera;
	std::shared_ptr<LiveViewer> _viewer;
	std::unique_ptr<sdk::Subscription> _subscription;
	std::list<std::weak_ptr<LiveViewer>>::iterator _entry;
	bool _registered = false; // _entry is valid
};

class LiveViews
{
public:
	LiveViews(std::shared_ptr<sdk::CameraService> cameras, LiveSettings settings,
		sdk::Gauge* viewersGauge = nullptr, sdk::Counter* droppedCounter = nullptr);
	~LiveViews();

	std::unique_ptr<LiveView> open(const std::string& camera);
		/// Throws RpcError -32004 (unknown or disconnected camera), and
		/// RpcError -32002 reason "too_many_viewers" at max_viewers.
	void closeAll(const std::string& reason);
		/// Ends every open view (their connections return); later open()s
		/// are refused with reason "shutting_down".
	int viewers() const;
	const LiveSettings& settings() const { return _settings; }

private:
	friend class LiveView;
	void forget(LiveView& view);

	std::shared_ptr<sdk::CameraService> _cameras;
	const LiveSettings _settings;
	sdk::Gauge* _viewersGauge;
	sdk::Counter* _droppedCounter;
	mutable std::mutex _mutex;
	std::list<std::weak_ptr<LiveViewer>> _open;
	bool _closed = false;
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_LIVEVIEWS_H
