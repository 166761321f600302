//
// RecordingManager.h
//
// The recordings of every camera: at most one per camera. start() reserves a
// name with the media store, registers the file as in progress and subscribes
// a Recorder to the camera's pipeline; stop() (or the recorder itself, when
// the duration is reached, the camera goes away or the disk fills up)
// finalizes the file, completes it in the store and reports it. Recordings
// that end on their own are finalized by a reaper thread, never on the
// pipeline's thread. Thread-safe.
//

#ifndef CAMSVC_RECORDING_RECORDINGMANAGER_H
#define CAMSVC_RECORDING_RECORDINGMANAGER_H

#include "Recorder.h"
#include "camsvc/sdk/CameraService.h"
#include "camsvc/sdk/MediaStore.h"
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace camsvc::recording {

struct RecordingSettings
{
	std::string defaultFormat = "mp4";
	int fragmentMs = 1000;
	std::chrono::milliseconds syncInterval{1000};
	std::chrono::milliseconds stallGrace{3000};
	std::size_t queueBytes = 16 << 20;
	double maxDurationSeconds = 86400; // recording.max_duration_seconds: a recording without duration ends here

	static RecordingSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// recording.* keys (docs/recording.md).
};

class RecordingManager
{
public:
	using Notify = std::function<void(Poco::JSON::Object::Ptr params)>;
		/// Publishes recording_status_update; called without locks held.
	using ActiveChanged = std::function<void(std::size_t active)>;

	RecordingManager(std::shared_ptr<sdk::CameraService> cameras, std::shared_ptr<sdk::MediaStore> store,
		RecordingSettings settings, Poco::Logger& logger, Notify notify, ActiveChanged activeChanged = {});
		/// Starts the reaper thread.
	~RecordingManager();
		/// stopAll(Shutdown).

	Poco::JSON::Object::Ptr start(const std::string& device, double durationSeconds, const std::string& format);
		/// The start_recording result. durationSeconds 0: until stopped. format
		/// "mp4", "fmp4" (= mp4), "mkv" or "" (the default). Throws RpcError:
		/// -32004 unknown or disconnected camera, -1006 the camera records
		/// already, -32007/-1010 from the storage guard, -32602 bad format.
	Poco::JSON::Object::Ptr stop(const std::string& device);
		/// The stop_recording result. Throws -32010 (reason not_recording).
	void stopAll();
		/// Finalizes every open recording (reason shutdown) and stops the reaper.
	std::size_t active() const;

private:
	struct Session
	{
		std::string device;     // as the camera service names it
		std::string camera;     // "camera0"
		std::string sessionId;
		double requestedSeconds = 0;
		Poco::Timestamp startTime;
		sdk::Record<sdk::MediaReservation> reservation; // the store's record: passed back as *reservation
		std::shared_ptr<Recorder> recorder;
		std::unique_ptr<sdk::Subscription> subscription;
	};
	using SessionPtr = std::shared_ptr<Session>;

	Poco::JSON::Object::Ptr finalize(const SessionPtr& session, EndReason reason);
		/// Unsubscribes, stops the recorder, completes the file, notifies.
	void reap();
	void ended(const std::string& camera, const std::string& sessionId);
	Poco::JSON::Object::Ptr status(const Session& session, const char* status, double seconds) const;
		/// recording_status_update params.
	Poco::JSON::Object::Ptr result(const Session& session, const char* status) const;
		/// The fields start_recording and stop_recording results share.
	void activeChanged();

	const std::shared_ptr<sdk::CameraService> _cameras;
	const std::shared_ptr<sdk::MediaStore> _store;
	const RecordingSettings _settings;
	Poco::Logger& _logger;
	const Notify _notify;
	const ActiveChanged _activeChanged;

	mutable std::mutex _mutex;
	std::map<std::string, SessionPtr> _sessions; // by camera name

	std::mutex _reapMutex;
	std::condition_variable _reapChanged;
	std::vector<std::pair<std::string, std::string>> _ended; // camera, session id
	bool _reaperStop = false;
	std::thread _reaper;
};

} // namespace camsvc::recording

#endif // CAMSVC_RECORDING_RECORDINGMANAGER_H
