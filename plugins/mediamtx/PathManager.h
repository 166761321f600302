//
// PathManager.h
//
// Keeps MediaMTX's path configuration in line with the cameras being
// streamed: each gets a path named like the camera with source "publisher".
// MediaMTX forgets API changes when it restarts and paths can be removed by
// hand, so a timer reconciles continuously; "already exists" is resolved by
// reading the path and patching it, never assumed.
//

#ifndef CAMSVC_MEDIAMTX_PATHMANAGER_H
#define CAMSVC_MEDIAMTX_PATHMANAGER_H

#include "MediaMtxClient.h"
#include "camsvc/sdk/PeriodicTask.h"
#include <Poco/Logger.h>
#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace camsvc::mediamtx {

class PathManager
{
public:
	using HealthCallback = std::function<void(bool reachable, const std::string& detail)>;
	using PassCallback = std::function<void(const std::optional<std::vector<PathState>>& paths)>;
		/// After each reconcile pass, on its thread: MediaMTX's runtime path
		/// states, or nothing when they could not be read.

	PathManager(MediaMtxClient& client, Poco::Logger& logger, HealthCallback onHealth, PassCallback onPass = {});
	~PathManager();

	void ensure(const std::string& name);
		/// Makes sure the path exists with source "publisher" now, and keeps it
		/// so. Throws MediaMtxError (unreachable: status 0).
	void want(const std::string& name);
		/// Like ensure() but without waiting: applied by the next reconcile.
	void release(const std::string& name);
		/// No longer wanted: removed from MediaMTX at the next reconcile.
	void reconcile();
		/// One pass: re-create what is missing (restart, removed by hand),
		/// delete what is no longer wanted, read the runtime state of every
		/// path for the PassCallback. Never throws.
	void start(int intervalMs);
	void setInterval(int intervalMs);
		/// A reload: passes every intervalMs from now on, the first at once.
	void stop();
	bool reachable() const { return _reachable; }
	std::optional<std::string> outage() const;
		/// Why MediaMTX is unreachable, while the last contact says it is;
		/// nothing when it answered or was not asked yet. Any thread.
	std::set<std::string> wanted() const;

private:
	void apply(const std::string& name);
	void setReachable(bool reachable, const std::string& detail);

	MediaMtxClient& _client;
	Poco::Logger& _logger;
	HealthCallback _onHealth;
	PassCallback _onPass;
	mutable std::mutex _mutex;
	std::set<std::string> _wanted;
	std::set<std::string> _unwanted; // ours, to delete
	std::atomic<bool> _reachable{false};
	bool _reachableKnown = false;
	std::string _outage; // detail of the failed contact, while unreachable
	std::string _lastProblem; // reconcile thread: the HTTP error last logged
	sdk::PeriodicTask _task;  // last: stopped before the members it uses go; want()/release() kick it
};

} // namespace camsvc::mediamtx

#endif // CAMSVC_MEDIAMTX_PATHMANAGER_H
