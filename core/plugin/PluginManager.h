//
// PluginManager.h
//
// Loads the enabled plugins with Boost.DLL, checks that each is compatible
// (SDK major equal, minor not newer, same ABI fingerprint), orders them by
// their required plugins and drives load -> start -> stop. A plugin that
// fails any step is skipped with one log line, and so are the plugins that
// require it; the rest keep running.
//

#ifndef CAMSVC_CORE_PLUGINMANAGER_H
#define CAMSVC_CORE_PLUGINMANAGER_H

#include "camsvc/sdk/Plugin.h"
#include "plugin/PluginContext.h"
#include <Poco/Logger.h>
#include <memory>
#include <string>
#include <vector>

namespace camsvc {
namespace core {

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
	~PluginManager();

	void open(const std::string& directory, const std::vector<std::string>& names);
		/// Opens each library and checks its info record and dependencies.
	void loadAll();
		/// Plugin::load() for each opened plugin, in dependency order.
	void startAll();
		/// Plugin::start() for each loaded plugin, in dependency order.
	void stopAll();
		/// Plugin::stop() in reverse order, then destroys the instances.

	std::vector<PluginRecord> records() const;
	bool isRunning(const std::string& name) const;

private:
	struct Entry;
	void reject(Entry& entry, State state, const std::string& why);
	std::unique_ptr<Entry> openOne(const std::string& directory, const std::string& name);
	void orderByDependencies(std::vector<std::unique_ptr<Entry>> opened);
	bool dependenciesReady(const Entry& entry, State needed) const;
	Entry* find(const std::string& name) const;

	HostServices& _services;
	Poco::Logger& _logger;
	std::vector<std::unique_ptr<Entry>> _entries; // dependency order after open()
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_PLUGINMANAGER_H
