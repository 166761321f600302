#include "RecordingManager.h"
#include "camsvc/sdk/Time.h"
#include <Poco/UUIDGenerator.h>
#include <cmath>

namespace camsvc::recording {

using Poco::JSON::Object;
using sdk::RpcError;

namespace {

double millis(double seconds)
{
	return std::round(seconds * 1000) / 1000;
}

Poco::Int64 wholeSeconds(double seconds)
{
	return static_cast<Poco::Int64>(std::llround(seconds));
}

} // namespace

RecordingSettings RecordingSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	RecordingSettings s;
	s.defaultFormat = config.getString("recording.default_format", s.defaultFormat);
	if (s.defaultFormat != "mp4" && s.defaultFormat != "mkv")
		s.defaultFormat = "mp4";
	s.fragmentMs = std::max(100, config.getInt("recording.fragment_ms", s.fragmentMs));
	s.syncInterval = std::chrono::milliseconds(std::max(0, config.getInt("recording.sync_interval_ms", 1000)));
	s.stallGrace = std::chrono::milliseconds(std::max(0, config.getInt("recording.stall_grace_ms", 3000)));
	s.queueBytes = static_cast<std::size_t>(std::max<Poco::Int64>(1 << 20, config.getInt64("recording.queue_bytes", 16 << 20)));
	s.maxDurationSeconds = std::max(1.0, config.getDouble("recording.max_duration_seconds", s.maxDurationSeconds));
	return s;
}

RecordingManager::RecordingManager(std::shared_ptr<sdk::CameraService> cameras, std::shared_ptr<sdk::MediaStore> store,
	RecordingSettings settings, Poco::Logger& logger, Notify notify, ActiveChanged activeChanged):
	_cameras(std::move(cameras)),
	_store(std::move(store)),
	_settings(std::move(settings)),
	_logger(logger),
	_notify(std::move(notify)),
	_activeChanged(std::move(activeChanged))
{
	_reaper = std::thread([this] { reap(); });
}

RecordingManager::~RecordingManager()
{
	stopAll();
}

std::size_t RecordingManager::active() const
{
	std::lock_guard lock(_mutex);
	return _sessions.size();
}

void RecordingManager::activeChanged()
{
	if (_activeChanged)
		_activeChanged(active());
}

Object::Ptr RecordingManager::status(const Session& s, const char* status, double seconds) const
{
	Object::Ptr p = new Object;
	p->set("device", s.device);
	p->set("status", status);
	p->set("filename", s.reservation->filename);
	p->set("duration", wholeSeconds(seconds));
	p->set("duration_seconds", millis(seconds));
	p->set("session_id", s.sessionId);
	p->set("format", s.reservation->format);
	return p;
}

Object::Ptr RecordingManager::result(const Session& s, const char* status) const
{
	Object::Ptr r = new Object;
	r->set("device", s.device);
	r->set("session_id", s.sessionId);
	r->set("filename", s.reservation->filename);
	r->set("status", status);
	r->set("start_time", sdk::rfc3339(s.startTime));
	r->set("file_path", s.reservation->path);
	return r;
}

Object::Ptr RecordingManager::start(const std::string& device, double durationSeconds, const std::string& requestedFormat)
{
	std::string format = requestedFormat.empty() ? _settings.defaultFormat : requestedFormat;
	if (format == "fmp4")
		format = "mp4";
	if (format != "mp4" && format != "mkv")
		throw RpcError::invalidParams("format", "unsupported_format", "format must be mp4 or mkv");

	sdk::CameraInfo camera = *_cameras->require(device, true);

	auto session = std::make_shared<Session>();
	session->device = camera.device;
	session->camera = camera.name;
	session->requestedSeconds = durationSeconds;
	session->sessionId = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
	sdk::Record<sdk::StorageCheck> room;
	{
		// Held across the store and the subscription so two starts on one
		// camera cannot both pass the check; each of those calls is short.
		std::lock_guard lock(_mutex);
		auto running = _sessions.find(camera.name);
		if (running != _sessions.end())
		{
			Object::Ptr data = new Object;
			data->set("reason", "camera_recording");
			data->set("device", camera.device);
			data->set("session_id", running->second->sessionId);
			data->set("filename", running->second->reservation->filename);
			throw RpcError(sdk::ErrorCode::CameraRecording, "Camera is currently recording", data);
		}
		room = _store->checkRoom(sdk::MediaKind::Recording);
		room->throwIfRefused(true);
		session->reservation = _store->reserve(sdk::MediaKind::Recording, camera.name, format);
		try
		{
			_store->registerInProgress(*session->reservation, session->startTime);
			RecorderOptions options;
			options.path = session->reservation->path;
			options.format = format;
			options.fragmentMs = _settings.fragmentMs;
			options.syncInterval = _settings.syncInterval;
			options.stallGrace = _settings.stallGrace;
			options.queueBytes = _settings.queueBytes;
			// Without a duration a recording still ends: nobody may be left to stop it.
			options.maxSeconds = durationSeconds > 0 ? durationSeconds : _settings.maxDurationSeconds;
			std::string cameraName = camera.name, sessionId = session->sessionId;
			session->recorder = std::make_shared<Recorder>(options, [this, cameraName, sessionId](EndReason, const std::string&) {
				ended(cameraName, sessionId);
			});
			session->subscription = _cameras->subscribePackets(camera.name, session->recorder);
		}
		catch (...)
		{
			if (session->recorder)
				session->recorder->stop(EndReason::Requested);
			_store->release(*session->reservation);
			throw;
		}
		_sessions[camera.name] = session;
	}
	activeChanged();
	_logger.information("recording %s started: camera %s, %s", session->sessionId, session->camera, session->reservation->filename);
	_notify(status(*session, "STARTED", 0));

	Object::Ptr r = result(*session, "STARTED");
	r->set("duration", wholeSeconds(durationSeconds)); // the seed's int; 0: until stopped (or max_duration_seconds)
	r->set("duration_seconds", durationSeconds);
	r->set("max_duration_seconds", durationSeconds > 0 ? durationSeconds : _settings.maxDurationSeconds);
	r->set("format", format);
	if (room->lowSpaceWarning())
	{
		Object::Ptr warning = new Object;
		warning->set("code", sdk::ErrorCode::StorageLow);
		warning->set("reason", "storage_low");
		warning->set("free_percent", room->freePercent);
		r->set("warning", warning);
	}
	return r;
}

Object::Ptr RecordingManager::stop(const std::string& device)
{
	SessionPtr session;
	{
		std::lock_guard lock(_mutex);
		auto camera = _cameras->find(device);
		auto it = camera ? _sessions.find(camera->name) : _sessions.end();
		for (auto s = _sessions.begin(); it == _sessions.end() && s != _sessions.end(); ++s)
		{
			if (s->second->device == device || s->first == device)
				it = s;
		}
		if (it == _sessions.end())
		{
			Object::Ptr data = new Object;
			data->set("reason", "not_recording");
			data->set("device", device);
			throw RpcError(sdk::ErrorCode::NotFound, "No recording in progress on this camera", data);
		}
		session = it->second;
		_sessions.erase(it);
	}
	return finalize(session, EndReason::Requested);
}

Object::Ptr RecordingManager::finalize(const SessionPtr& s, EndReason requested)
{
	s->subscription.reset(); // no callback runs after this
	RecorderResult outcome = s->recorder->stop(requested);
	if (outcome.reason == EndReason::DurationReached && s->requestedSeconds <= 0)
		outcome.reason = EndReason::MaxDuration;
	Poco::Timestamp endTime;
	activeChanged();

	if (outcome.fileCreated)
	{
		try
		{
			_store->complete(*s->reservation, outcome.bytes, outcome.seconds);
		}
		catch (const std::exception& e)
		{
			_logger.error("recording %s: cannot complete %s: %s", s->sessionId, s->reservation->filename, std::string(e.what()));
		}
	}
	else
	{
		_store->release(*s->reservation);
	}
	if (outcome.dropped)
		_logger.warning("recording %s: %?u packets dropped (writer behind)", s->sessionId, outcome.dropped);

	const char* reason = endReasonName(outcome.reason);
	if (isError(outcome.reason))
	{
		_logger.error("recording %s on %s ended: %s (%s)", s->sessionId, s->camera, std::string(reason), outcome.detail);
		Object::Ptr error = status(*s, "ERROR", outcome.seconds);
		error->set("reason", reason);
		error->set("error", outcome.detail);
		_notify(error);
	}
	else
	{
		_logger.information("recording %s on %s stopped: %s, %.1f s, %?u bytes", s->sessionId, s->camera, std::string(reason),
			outcome.seconds, outcome.bytes);
	}
	// No packet arrived (stopped right after starting): there is no file, and both say so.
	auto markDeleted = [&outcome](Object& o) {
		if (outcome.fileCreated)
			return;
		o.set("deleted", true);
		o.set("deleted_reason", "empty");
	};
	Object::Ptr stopped = status(*s, "STOPPED", outcome.seconds);
	stopped->set("reason", reason);
	stopped->set("file_size", outcome.bytes);
	markDeleted(*stopped);
	_notify(stopped);

	Object::Ptr r = result(*s, "STOPPED");
	r->set("end_time", sdk::rfc3339(endTime));
	r->set("duration", wholeSeconds(outcome.seconds));
	r->set("duration_seconds", millis(outcome.seconds));
	r->set("file_size", outcome.bytes);
	r->set("format", s->reservation->format);
	r->set("reason", reason);
	markDeleted(*r);
	return r;
}

void RecordingManager::ended(const std::string& camera, const std::string& sessionId)
{
	std::lock_guard lock(_reapMutex);
	_ended.emplace_back(camera, sessionId);
	_reapChanged.notify_one();
}

void RecordingManager::reap()
{
	std::unique_lock lock(_reapMutex);
	for (;;)
	{
		_reapChanged.wait(lock, [this] { return _reaperStop || !_ended.empty(); });
		if (_ended.empty())
			return;
		auto [camera, sessionId] = _ended.front();
		_ended.erase(_ended.begin());
		lock.unlock();
		SessionPtr session;
		{
			std::lock_guard sessions(_mutex);
			auto it = _sessions.find(camera);
			if (it != _sessions.end() && it->second->sessionId == sessionId)
			{
				session = it->second;
				_sessions.erase(it);
			}
		}
		if (session) // else stop_recording took it first
			finalize(session, EndReason::Requested);
		lock.lock();
	}
}

void RecordingManager::stopAll()
{
	std::map<std::string, SessionPtr> sessions;
	{
		std::lock_guard lock(_mutex);
		sessions.swap(_sessions);
	}
	for (auto& [camera, session]: sessions)
		finalize(session, EndReason::Shutdown);
	{
		std::lock_guard lock(_reapMutex);
		_reaperStop = true;
		_reapChanged.notify_all();
	}
	if (_reaper.joinable())
		_reaper.join();
}

} // namespace camsvc::recording
