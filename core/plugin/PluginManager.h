//
// PluginManager.h
//
// Loads the enabled plugins with Boost.DLL, checks that each is compatible
// (SDK major equal, minor not newer, same ABI fingerprint), orders them by
// their required plugins and drives load -> start -> stop. A plugin that
// fails any step is skipped with one log line, and so are the plugins that
// require it; the rest keep running. Between open() and loadAll() every
// opened plugin declares its configuration keys (declareConfig()), so the
// core can check the whole configuration before any plugin loads.
//

#ifndef CAMSVC_CORE_PLUGINMANAGER_H
#define CAMSVC_CORE_PLUGINMANAGER_H

#include "camsvc/sdk/Plugin.h"
#include "config/ConfigKeyTable.h"
#include "plugin/PluginContext.h"
#include <Poco/Logger.h>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace camsvc::core {

class PluginManager
{
public:
	enum class State { Rejected, Opened, Loaded, Started, Failed, Stopped };

	struct PluginRecord
	{
		std::string name;
		std::string path;
		std::string version;
		std::string description;
		std::vector<std::string> dependencies;
		State state = State::Rejected;
		std::string error;
	};

	PluginManager(HostServices& services, Poco::Logger& logger);
	explicit PluginManager(Poco::Logger& logger);
		/// Without host services yet: open() and declareConfig() need none;
		/// setHostServices() before loadAll().
	~PluginManager();

	void setHostServices(HostServices& services);

	void open(const std::string& directory, const std::vector<std::string>& names);
		/// Opens each library and checks its info record and dependencies.
	void declareConfig(ConfigKeyTable& table);
		/// Creates each opened plugin and calls its declareConfig() (the table's
		/// owner set to the plugin's name). A plugin whose declarations throw is skipped.
	void loadAll();
		/// Plugin::load() for each opened plugin, in dependency order.
	void startAll();
		/// Plugin::start() for each loaded plugin, in dependency order.
	void stopAll();
	void reloadAll();
		/// Plugin::reload() for each started plugin, in dependency order; a throw is logged.
	std::string failure(const std::string& name, State needed) const;
		/// Why the named plugin, if enabled, did not reach the state needed ("" = it did or it is not enabled).
		/// Plugin::stop() in reverse order, then destroys the instances.

	std::vector<PluginRecord> records() const;
	bool isRunning(const std::string& name) const;

private:
	struct Entry;
	void reject(Entry& entry, State state, const std::string& why);
	std::unique_ptr<Entry> openOne(const std::string& directory, const std::string& name);
	void orderByDependencies(std::vector<std::unique_ptr<Entry>> opened);
	bool dependenciesReady(const Entry& entry, State needed) const;
	void forEachReady(State in, State depsNeeded, const std::string& depsMissing, const std::function<void(Entry&)>& step);
		/// step for each entry in state in whose dependencies are all depsNeeded; the others fail with depsMissing.
	void discard(Entry& entry, const std::string& why);
		/// Destroys the entry's instance and marks it failed.
	Entry* find(const std::string& name) const;

	HostServices* _services = nullptr;
	Poco::Logger& _logger;
	std::vector<std::unique_ptr<Entry>> _entries; // dependency order after open()
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_PLUGINMANAGER_H
