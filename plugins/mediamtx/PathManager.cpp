#include "PathManager.h"

namespace camsvc::mediamtx {

PathManager::PathManager(MediaMtxClient& client, Poco::Logger& logger, HealthCallback onHealth, PassCallback onPass):
	_client(client), _logger(logger), _onHealth(std::move(onHealth)), _onPass(std::move(onPass))
{
}

PathManager::~PathManager()
{
	stop();
}

void PathManager::setReachable(bool reachable, const std::string& detail)
{
	bool changed;
	{
		std::lock_guard lock(_mutex);
		changed = !_reachableKnown || _reachable != reachable;
		_reachableKnown = true;
		_reachable = reachable;
		_outage = reachable ? std::string() : detail;
	}
	if (!changed)
		return;
	if (reachable)
		_logger.information("MediaMTX reachable");
	else
		_logger.warning("%s", detail); // "MediaMTX unreachable at URL: why"
	if (_onHealth)
		_onHealth(reachable, detail);
}

void PathManager::apply(const std::string& name)
{
	Poco::JSON::Object conf;
	conf.set("source", "publisher");
	auto current = _client.pathConfig(name);
	if (!current)
	{
		try
		{
			_client.addPath(name, conf);
			_logger.information("MediaMTX path %s added", name);
			return;
		}
		catch (const MediaMtxError& e)
		{
			if (e.status() != 400)
				throw;
			current = _client.pathConfig(name); // created meanwhile: read it and fall through
			if (!current)
				throw;
		}
	}
	if ((*current)->optValue<std::string>("source", "") != "publisher")
	{
		_client.patchPath(name, conf);
		_logger.information("MediaMTX path %s patched to source publisher", name);
	}
}

void PathManager::ensure(const std::string& name)
{
	{
		std::lock_guard lock(_mutex);
		_wanted.insert(name);
		_unwanted.erase(name);
	}
	try
	{
		apply(name);
		setReachable(true, "");
	}
	catch (const MediaMtxError& e)
	{
		if (e.unreachable())
			setReachable(false, e.what());
		throw;
	}
}

void PathManager::want(const std::string& name)
{
	std::lock_guard lock(_mutex);
	_wanted.insert(name);
	_unwanted.erase(name);
	_task.kick();
}

void PathManager::release(const std::string& name)
{
	std::lock_guard lock(_mutex);
	if (_wanted.erase(name))
		_unwanted.insert(name);
	_task.kick();
}

std::optional<std::string> PathManager::outage() const
{
	std::lock_guard lock(_mutex);
	if (_reachableKnown && !_reachable)
		return _outage;
	return std::nullopt;
}

std::set<std::string> PathManager::wanted() const
{
	std::lock_guard lock(_mutex);
	return _wanted;
}

void PathManager::reconcile()
{
	std::set<std::string> wanted, unwanted;
	{
		std::lock_guard lock(_mutex);
		wanted = _wanted;
		unwanted = _unwanted;
	}
	std::optional<std::vector<PathState>> states;
	try
	{
		_client.info();
		for (const auto& name: wanted)
			apply(name);
		for (const auto& name: unwanted)
		{
			try
			{
				_client.deletePath(name);
				_logger.information("MediaMTX path %s removed", name);
			}
			catch (const MediaMtxError& e)
			{
				if (e.status() != 404)
					throw;
			}
			std::lock_guard lock(_mutex);
			_unwanted.erase(name);
		}
		states = _client.paths();
		setReachable(true, "");
		if (!_lastProblem.empty())
			_logger.information("MediaMTX reconcile works again");
		_lastProblem.clear();
	}
	catch (const MediaMtxError& e)
	{
		if (e.unreachable())
			setReachable(false, e.what());
		else if (_lastProblem != e.what()) // one line per problem, not one per pass
			_logger.warning("MediaMTX reconcile: %s", std::string(e.what()));
		if (!e.unreachable())
			_lastProblem = e.what();
	}
	if (_onPass)
		_onPass(states);
}

void PathManager::start(int intervalMs)
{
	_task.start(std::chrono::milliseconds(intervalMs), [this] { reconcile(); }, sdk::PeriodicTask::FirstRun::Now);
}

void PathManager::setInterval(int intervalMs)
{
	_task.setInterval(std::chrono::milliseconds(intervalMs)); // reconcile now, then at the new interval
}

void PathManager::stop()
{
	_task.stop();
}

} // namespace camsvc::mediamtx
