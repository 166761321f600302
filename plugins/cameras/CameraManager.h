//
// CameraManager.h
//
// The cameras plugin's CameraService: declared sources and discovered V4L2
// devices under stable names, one capture pipeline each, and state changes
// reported to listeners (the camera_status_update notification).
//
// Names: /dev/videoN is cameraN. A declared source cameras.sources.<id> is
// camera<index> with cameras.sources.<id>.index, else the ids in sorted order
// get cameras.sources.first_index (100), 101, ... so they never collide
// with V4L2 numbers.
//

#ifndef CAMSVC_CAMERAS_CAMERAMANAGER_H
#define CAMSVC_CAMERAS_CAMERAMANAGER_H

#include "CapturePipeline.h"
#include "DeviceWatcher.h"
#include "V4l2Device.h"
#include "camsvc/sdk/CameraService.h"
#include <Poco/Util/AbstractConfiguration.h>
#include <map>
#include <mutex>
#include <set>
#include <vector>

namespace camsvc::cameras {

class CameraManager: public sdk::CameraService
{
public:
	using Prober = std::function<std::optional<V4l2Capabilities>(const std::string& path)>;

	CameraManager(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger, Prober prober = nullptr);
	~CameraManager() override;

	void start();
		/// Declared sources, the first V4L2 scan, then hot-plug.
	void reloadSources();
		/// After a reload: declared sources added appear, removed ones
		/// disappear (a DISCONNECTED update), changed ones are replaced;
		/// unchanged ones keep their name and pipeline.
	void stop();
		/// Stops every pipeline (sinks see onStreamEnd(Stopped)) and the watcher.

	sdk::Records<sdk::CameraInfo> cameras() const override;
	sdk::Record<sdk::CameraInfo> find(const std::string& deviceOrName) const override;
	std::unique_ptr<sdk::Subscription> subscribePackets(const std::string& deviceOrName, std::shared_ptr<sdk::PacketSink> sink) override;
	sdk::Frame latestFrame(const std::string& deviceOrName, std::chrono::milliseconds timeout) override;
	std::unique_ptr<sdk::Subscription> watchCameras(std::function<void(const sdk::CameraInfo&)> listener) override;

	void deviceChanged(const std::string& path, bool present);
		/// Hot-plug event (from the watcher, or a test).

private:
	struct Camera
	{
		sdk::CameraInfo info;
		SourceSpec source;
		bool always = false;
		std::shared_ptr<CapturePipeline> pipeline;
		std::string declaredId;  // cameras.sources.<id>; empty for V4L2
		std::string declaration; // its keys' values: a change replaces the camera
	};
	class ListenerSubscription;
	struct DeclaredSource
		/// cameras.sources.<id>.* as the configuration has it now.
	{
		std::string id, url, label, declaration;
		int index = -1;
		bool always = false;
	};

	std::shared_ptr<CapturePipeline> pipelineFor(const std::string& deviceOrName);
	bool nameFreeForDeviceLocked(const std::string& path, const std::string& name) const;
		/// False (and a warning) when a declared source has the name, or when stopped.
	void deviceRemoved(const std::string& path, const std::string& name);
	Camera v4l2Camera(const std::string& path, int index, const V4l2Capabilities& caps) const;
		/// The camera a capture node's capabilities describe, in the mode cameras.v4l2.* chooses.
	bool resumeCamera(const std::string& path, Camera& camera);
		/// A camera known by that name (a device back again) takes the new
		/// capabilities and its pipeline resumes; false when it is new.
	void addCamera(Camera camera);
	void applyDeclaredSources();
		/// Makes the declared cameras what cameras.sources.* says (start and SIGHUP).
	std::vector<DeclaredSource> declaredSources() const;
	void removeChangedSources(const std::vector<DeclaredSource>& wanted, std::set<std::string>& kept, std::set<int>& used);
		/// Drops cameras whose declaration changed or is gone; kept: unchanged ones, used: indexes taken.
	void addDeclaredSource(const DeclaredSource& d, std::set<int>& used, int& nextIndex);
	void setState(const std::string& name, sdk::CameraState state, const std::string& detail, const std::string& reason);
	void notify(const sdk::CameraInfo& info);
	sdk::CameraInfo snapshot(const Camera& camera) const;
	const Camera* lookup(const std::string& deviceOrName) const;
	PipelineOptions pipelineOptions(const Camera& camera) const;

	const Poco::Util::AbstractConfiguration& _config;
	Poco::Logger& _logger;
	Prober _prober;
	std::unique_ptr<DeviceWatcher> _watcher;

	mutable std::mutex _mutex;
	std::map<std::string, Camera> _cameras; // by name
	std::mutex _listenersMutex;
	std::map<int, std::function<void(const sdk::CameraInfo&)>> _listeners;
	int _nextListener = 0;
	bool _stopped = false;
};

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_CAMERAMANAGER_H
