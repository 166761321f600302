#include "CameraManager.h"
#include "V4l2Mode.h"
#include "camsvc/sdk/Redact.h"
#include <Poco/NumberFormatter.h>
#include <algorithm>
#include <set>

namespace camsvc::cameras {

namespace {

std::string resolution(int w, int h)
{
	return std::to_string(w) + "x" + std::to_string(h);
}

} // namespace

class CameraManager::ListenerSubscription: public sdk::Subscription
{
public:
	ListenerSubscription(CameraManager& manager, int id): _manager(manager), _id(id) {}
	~ListenerSubscription() override
	{
		std::lock_guard lock(_manager._listenersMutex);
		_manager._listeners.erase(_id);
	}

private:
	CameraManager& _manager;
	int _id;
};

CameraManager::CameraManager(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger, Prober prober):
	_config(config), _logger(logger), _prober(prober ? std::move(prober) : Prober([](const std::string& p) { return probeV4l2(p); }))
{
}

CameraManager::~CameraManager()
{
	stop();
}

PipelineOptions CameraManager::pipelineOptions(const Camera& camera) const
{
	PipelineOptions o;
	o.source = camera.source;
	o.preset = _config.getString("cameras.encoder.preset", "ultrafast");
	o.tune = _config.getString("cameras.encoder.tune", "zerolatency");
	o.crf = _config.getInt("cameras.encoder.crf", 23);
	o.gopSeconds = _config.getDouble("cameras.encoder.gop_seconds", 1.0);
	o.backoffInitial = std::chrono::milliseconds(_config.getInt("cameras.restart.initial_ms", 500));
	o.backoffMax = std::chrono::milliseconds(_config.getInt("cameras.restart.max_ms", 10000));
	o.idleLinger = std::chrono::milliseconds(_config.getInt("cameras.idle_stop_ms", 2000));
	o.frameLease = std::chrono::milliseconds(_config.getInt("cameras.frame_lease_ms", 5000));
	o.always = camera.always || _config.getBool("cameras.always_on", false);
	return o;
}

void CameraManager::start()
{
	applyDeclaredSources();

	if (_config.getBool("cameras.v4l2.enabled", true))
	{
		_watcher = std::make_unique<DeviceWatcher>(_config.getString("cameras.v4l2.device_dir", "/dev"),
			[this](const std::string& path, bool present) { deviceChanged(path, present); });
		try
		{
			_watcher->start(); // watch first, then scan: nothing plugged in between is missed
		}
		catch (const std::exception& e)
		{
			_logger.warning("V4L2 hot-plug unavailable: %s", std::string(e.what()));
		}
		for (const auto& path: _watcher->scan())
			deviceChanged(path, true);
	}
}

void CameraManager::reloadSources()
{
	applyDeclaredSources();
}

std::vector<CameraManager::DeclaredSource> CameraManager::declaredSources() const
{
	std::vector<DeclaredSource> wanted;
	Poco::Util::AbstractConfiguration::Keys ids;
	_config.keys("cameras.sources", ids);
	std::sort(ids.begin(), ids.end());
	for (const auto& id: ids)
	{
		if (id == "first_index")
			continue;
		std::string prefix = "cameras.sources." + id + ".";
		DeclaredSource d;
		d.id = id;
		d.url = _config.getString(prefix + "url", "");
		if (d.url.empty())
			continue;
		d.index = _config.getInt(prefix + "index", -1);
		d.label = _config.getString(prefix + "name", "");
		d.always = _config.getBool(prefix + "always", false);
		d.declaration = d.url + '\n' + std::to_string(d.index) + '\n' + d.label + '\n' + (d.always ? "1" : "0");
		wanted.push_back(std::move(d));
	}
	return wanted;
}

void CameraManager::applyDeclaredSources()
{
	std::vector<DeclaredSource> wanted = declaredSources();
	std::set<std::string> kept;
	std::set<int> used;
	removeChangedSources(wanted, kept, used);
	int nextIndex = _config.getInt("cameras.sources.first_index", 100);
	for (const auto& d: wanted)
		if (!kept.count(d.id))
			addDeclaredSource(d, used, nextIndex);
}

void CameraManager::removeChangedSources(const std::vector<DeclaredSource>& wanted, std::set<std::string>& kept, std::set<int>& used)
{
	// Removed or changed declarations leave first; unchanged ones keep their name and pipeline.
	std::vector<std::pair<std::shared_ptr<CapturePipeline>, sdk::CameraInfo>> removed;
	{
		std::lock_guard lock(_mutex);
		for (auto it = _cameras.begin(); it != _cameras.end();)
		{
			const Camera& c = it->second;
			auto match = std::find_if(wanted.begin(), wanted.end(), [&](const DeclaredSource& d) { return d.id == c.declaredId; });
			if (c.declaredId.empty() || (match != wanted.end() && match->declaration == c.declaration))
			{
				if (!c.declaredId.empty())
					kept.insert(c.declaredId);
				used.insert(std::atoi(it->first.c_str() + 6)); // "camera<N>"
				++it;
				continue;
			}
			sdk::CameraInfo info = snapshot(c);
			info.state = sdk::CameraState::Disconnected;
			removed.emplace_back(c.pipeline, info);
			it = _cameras.erase(it);
		}
	}
	for (auto& [pipeline, info]: removed)
	{
		if (pipeline)
			pipeline->shutdown();
		_logger.information("camera %s (%s) removed: its declaration changed or is gone", info.name, info.sourceUrl);
		notify(info);
	}
}

void CameraManager::addDeclaredSource(const DeclaredSource& d, std::set<int>& used, int& nextIndex)
{
	Camera camera;
	try
	{
		camera.source = parseSourceUrl(d.url);
	}
	catch (const std::exception& e)
	{
		_logger.error("camera source %s skipped: %s", d.id, sdk::redactUrlsIn(e.what(), d.url));
		return;
	}
	int index = d.index;
	if (index < 0)
	{
		while (used.count(nextIndex))
			++nextIndex;
		index = nextIndex++;
	}
	if (!used.insert(index).second)
	{
		_logger.error("camera source %s skipped: index %d is taken", d.id, index);
		return;
	}
	camera.declaredId = d.id;
	camera.declaration = d.declaration;
	camera.info.name = "camera" + std::to_string(index);
	camera.info.device = camera.info.name; // the URL may hold credentials: never a viewer's "device"
	camera.info.sourceUrl = camera.source.publicId;
	camera.info.label = d.label.empty() ? "Camera " + std::to_string(index) : d.label;
	camera.info.source = camera.source.kind;
	camera.info.state = sdk::CameraState::Connected;
	camera.info.width = camera.source.width;
	camera.info.height = camera.source.height;
	camera.info.fps = camera.source.fps;
	camera.info.formats = {camera.source.kind == "testsrc" ? "RGB24" : "H264"};
	if (camera.source.width)
		camera.info.resolutions = {resolution(camera.source.width, camera.source.height)};
	if (camera.source.fps > 0)
		camera.info.fpsOptions = {camera.source.fps};
	camera.always = d.always;
	addCamera(std::move(camera));
}

void CameraManager::stop()
{
	if (_watcher)
		_watcher->stop();
	std::vector<std::shared_ptr<CapturePipeline>> pipelines;
	{
		std::lock_guard lock(_mutex);
		_stopped = true;
		for (auto& [name, c]: _cameras)
			if (c.pipeline)
				pipelines.push_back(c.pipeline);
	}
	for (auto& p: pipelines)
		p->shutdown();
}

void CameraManager::addCamera(Camera camera)
{
	std::string name = camera.info.name;
	camera.pipeline = std::make_shared<CapturePipeline>(name, pipelineOptions(camera),
		[this, name](sdk::CameraState state, const std::string& detail, const std::string& reason) { setState(name, state, detail, reason); }, _logger);
	sdk::CameraInfo info;
	{
		std::lock_guard lock(_mutex);
		int max = _config.getInt("cameras.max_cameras", sdk::DefaultMaxCameras);
		if (static_cast<int>(_cameras.size()) >= max)
		{
			_logger.error("camera %s (%s) refused: cameras.max_cameras (%d) reached", name, camera.info.sourceUrl, max);
			return;
		}
		info = snapshot(_cameras[name] = std::move(camera));
	}
	_logger.information("camera %s (%s) added: %s", name, info.source, info.sourceUrl);
	notify(info);
}

bool CameraManager::nameFreeForDeviceLocked(const std::string& path, const std::string& name) const
{
	if (_stopped)
		return false;
	auto it = _cameras.find(name);
	if (it != _cameras.end() && it->second.info.source != "v4l2")
	{
		_logger.warning("%s: name %s is taken by a declared source; device ignored", path, name);
		return false;
	}
	return true;
}

void CameraManager::deviceRemoved(const std::string& path, const std::string& name)
{
	std::shared_ptr<CapturePipeline> pipeline;
	sdk::CameraInfo info;
	{
		std::lock_guard lock(_mutex);
		if (!nameFreeForDeviceLocked(path, name))
			return;
		auto it = _cameras.find(name);
		if (it == _cameras.end() || it->second.info.state == sdk::CameraState::Disconnected)
			return;
		it->second.info.state = sdk::CameraState::Disconnected;
		pipeline = it->second.pipeline;
		info = snapshot(it->second);
	}
	_logger.information("camera %s disconnected (%s removed)", name, path);
	pipeline->setAvailable(false);
	notify(info);
}

CameraManager::Camera CameraManager::v4l2Camera(const std::string& path, int index, const V4l2Capabilities& caps) const
{
	auto mode = chooseV4l2Mode(caps, _config.getString("cameras.v4l2.size", ""), _config.getString("cameras.v4l2.rate", ""),
		_config.getString("cameras.v4l2.input_format", ""));
	Camera camera;
	camera.source = v4l2Source(path, mode && mode->width ? resolution(mode->width, mode->height) : "",
		mode && mode->fps > 0 ? Poco::NumberFormatter::format(mode->fps) : "", mode ? mode->inputFormat() : "");
	camera.info.name = "camera" + std::to_string(index);
	camera.info.device = path;
	camera.info.sourceUrl = path;
	camera.info.label = caps.card.empty() ? "Camera " + std::to_string(index) : caps.card;
	camera.info.source = "v4l2";
	camera.info.state = sdk::CameraState::Connected;
	std::set<std::pair<int, int>> sizes;
	std::set<double> rates;
	for (const auto& f: caps.formats)
	{
		camera.info.formats.push_back(friendlyFormat(f.fourcc));
		sizes.insert(f.sizes.begin(), f.sizes.end());
		rates.insert(f.fps.begin(), f.fps.end());
	}
	std::vector<std::pair<int, int>> ordered(sizes.begin(), sizes.end());
	std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first * a.second > b.first * b.second; });
	for (const auto& [w, h]: ordered)
		camera.info.resolutions.push_back(resolution(w, h));
	camera.info.fpsOptions.assign(rates.rbegin(), rates.rend());
	camera.info.width = mode ? mode->width : 0;
	camera.info.height = mode ? mode->height : 0;
	camera.info.fps = mode ? mode->fps : 0;
	if (mode)
		_logger.information("%s: %s, will capture %s %dx%d@%s", path, camera.info.label, friendlyFormat(mode->fourcc), mode->width, mode->height,
			Poco::NumberFormatter::format(mode->fps));
	return camera;
}

bool CameraManager::resumeCamera(const std::string& path, Camera& camera)
{
	std::shared_ptr<CapturePipeline> pipeline;
	sdk::CameraInfo info;
	{
		std::lock_guard lock(_mutex);
		auto it = _cameras.find(camera.info.name);
		if (it == _cameras.end())
			return false;
		// Back again: same name, fresh capabilities, the pipeline (and its sinks) resumes.
		camera.pipeline = it->second.pipeline;
		camera.always = it->second.always;
		it->second.info = camera.info;
		it->second.source = camera.source;
		info = snapshot(it->second);
		pipeline = it->second.pipeline;
	}
	if (!pipeline)
		return false;
	_logger.information("camera %s reconnected (%s)", camera.info.name, path);
	pipeline->setAvailable(true);
	notify(info);
	return true;
}

void CameraManager::deviceChanged(const std::string& path, bool present)
{
	auto slash = path.rfind('/');
	int n = videoIndex(path.substr(slash == std::string::npos ? 0 : slash + 1));
	if (n < 0)
		return;
	std::string name = "camera" + std::to_string(n);
	if (!present)
		return deviceRemoved(path, name);
	{
		std::lock_guard lock(_mutex);
		if (!nameFreeForDeviceLocked(path, name))
			return;
		auto it = _cameras.find(name);
		if (it != _cameras.end() && it->second.info.state != sdk::CameraState::Disconnected)
			return; // already known (udev attribute changes)
	}
	auto caps = _prober(path);
	if (!caps || !caps->capture)
		return; // not a capture node (metadata node, or not ready yet: IN_ATTRIB follows)
	Camera camera = v4l2Camera(path, n, *caps);
	if (!resumeCamera(path, camera))
		addCamera(std::move(camera));
}

void CameraManager::setState(const std::string& name, sdk::CameraState state, const std::string& detail, const std::string& reason)
{
	sdk::CameraInfo info;
	{
		std::lock_guard lock(_mutex);
		auto it = _cameras.find(name);
		if (it == _cameras.end() || (it->second.info.state == state && it->second.info.error == detail))
			return;
		if (it->second.info.state == sdk::CameraState::Disconnected && state == sdk::CameraState::Error)
			return; // a vanished device's pipeline failing is not news
		it->second.info.state = state;
		it->second.info.error = detail;
		it->second.info.reason = reason;
		info = snapshot(it->second);
	}
	if (state == sdk::CameraState::Connected)
		_logger.information("camera %s connected", name);
	notify(info);
}

void CameraManager::notify(const sdk::CameraInfo& info)
{
	std::lock_guard lock(_listenersMutex);
	for (auto& [id, listener]: _listeners)
		listener(info);
}

sdk::CameraInfo CameraManager::snapshot(const Camera& camera) const
{
	sdk::CameraInfo info = camera.info;
	if (camera.pipeline)
	{
		PipelineStats s = camera.pipeline->stats();
		info.running = s.running;
		info.sinks = s.sinks;
		info.bytes = s.bytes;
		info.uptimeSeconds = s.uptimeSeconds;
		if (s.width > 0)
		{
			info.width = s.width;
			info.height = s.height;
			info.fps = s.fps;
		}
	}
	return info;
}

const CameraManager::Camera* CameraManager::lookup(const std::string& deviceOrName) const
{
	auto it = _cameras.find(deviceOrName);
	if (it != _cameras.end())
		return &it->second;
	for (const auto& [name, c]: _cameras)
		if (c.info.device == deviceOrName || c.info.sourceUrl == deviceOrName)
			return &c;
	return nullptr;
}

sdk::Records<sdk::CameraInfo> CameraManager::cameras() const
{
	std::lock_guard lock(_mutex);
	sdk::Records<sdk::CameraInfo> result;
	for (const auto& [name, c]: _cameras)
		result.push_back(std::make_shared<const sdk::CameraInfo>(snapshot(c)));
	std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
		return a->name.size() != b->name.size() ? a->name.size() < b->name.size() : a->name < b->name;
	});
	return result;
}

sdk::Record<sdk::CameraInfo> CameraManager::find(const std::string& deviceOrName) const
{
	std::lock_guard lock(_mutex);
	const Camera* c = lookup(deviceOrName);
	if (!c)
		return nullptr;
	return std::make_shared<const sdk::CameraInfo>(snapshot(*c));
}

std::shared_ptr<CapturePipeline> CameraManager::pipelineFor(const std::string& deviceOrName)
{
	std::lock_guard lock(_mutex);
	const Camera* c = lookup(deviceOrName);
	if (!c)
		throw sdk::cameraUnavailable(deviceOrName);
	if (c->info.state == sdk::CameraState::Disconnected)
		throw sdk::cameraUnavailable(deviceOrName, "camera_disconnected");
	return c->pipeline;
}

std::unique_ptr<sdk::Subscription> CameraManager::subscribePackets(const std::string& deviceOrName, std::shared_ptr<sdk::PacketSink> sink)
{
	return pipelineFor(deviceOrName)->subscribe(std::move(sink));
}

sdk::Frame CameraManager::latestFrame(const std::string& deviceOrName, std::chrono::milliseconds timeout)
{
	return pipelineFor(deviceOrName)->latestFrame(timeout);
}

std::unique_ptr<sdk::Subscription> CameraManager::watchCameras(std::function<void(const sdk::CameraInfo&)> listener)
{
	std::lock_guard lock(_listenersMutex);
	int id = _nextListener++;
	_listeners[id] = std::move(listener);
	return std::make_unique<ListenerSubscription>(*this, id);
}

} // namespace camsvc::cameras
