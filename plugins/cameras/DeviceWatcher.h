//
// DeviceWatcher.h
//
// Hot-plug: watches a device directory (/dev) with inotify and reports
// videoN nodes appearing and disappearing as they happen (no polling).
//

#ifndef CAMSVC_CAMERAS_DEVICEWATCHER_H
#define CAMSVC_CAMERAS_DEVICEWATCHER_H

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace camsvc::cameras {

class DeviceWatcher
{
public:
	using Callback = std::function<void(const std::string& path, bool present)>;
		/// Called on the watcher's thread. "present" again for a node whose
		/// attributes changed (udev sets permissions after creating it).

	DeviceWatcher(std::string directory, Callback callback);
	~DeviceWatcher();

	std::vector<std::string> scan() const;
		/// The videoN nodes there now, sorted by N.
	void start();
		/// Throws std::runtime_error if the directory cannot be watched.
	void stop();

private:
	void run();

	const std::string _directory;
	const Callback _callback;
	int _inotifyFd = -1;
	int _stopFd = -1;
	std::thread _thread;
};

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_DEVICEWATCHER_H
