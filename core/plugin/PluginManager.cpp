#include "plugin/PluginManager.h"
#include <Poco/Exception.h>
#include <boost/dll/shared_library.hpp>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <map>
#include <set>

namespace camsvc::core {

namespace {

std::string describe(const std::exception& e)
	/// A Poco exception's what() is only its class name ("Cannot open file"): its displayText() says which.
{
	if (auto* poco = dynamic_cast<const Poco::Exception*>(&e))
		return poco->displayText();
	return e.what();
}

} // namespace

struct PluginManager::Entry
{
	PluginRecord record;
	boost::dll::shared_library library;
	sdk::PluginInfo info{};  // the plugin's record, zero-extended to today's
	sdk::Plugin* instance = nullptr;
	std::unique_ptr<PluginContext> context;
};

PluginManager::PluginManager(HostServices& services, Poco::Logger& logger): _services(&services), _logger(logger)
{
}

PluginManager::PluginManager(Poco::Logger& logger): _logger(logger)
{
}

void PluginManager::setHostServices(HostServices& services)
{
	_services = &services;
}

PluginManager::~PluginManager()
{
	stopAll();
}

void PluginManager::reject(Entry& entry, State state, const std::string& why)
{
	entry.record.state = state;
	entry.record.error = why;
	_logger.error("plugin %s skipped: %s", entry.record.name, why);
}

PluginManager::Entry* PluginManager::find(const std::string& name) const
{
	for (const auto& e: _entries)
		if (e->record.name == name)
			return e.get();
	return nullptr;
}

namespace {

sdk::PluginInfo readInfo(const sdk::PluginInfo* exported)
	/// The plugin's info record, checked, as today's struct: the record only
	/// grows by appended members, so what an older plugin lacks is zero.
{
	constexpr std::size_t header = offsetof(sdk::PluginInfo, abiFingerprint);
	if (!exported || exported->structSize < header)
		throw std::runtime_error("no plugin info record");
	if (exported->sdkMajor != CAMSVC_SDK_VERSION_MAJOR || exported->sdkMinor > CAMSVC_SDK_VERSION_MINOR)
		throw std::runtime_error("built for SDK " + std::to_string(exported->sdkMajor) + "." + std::to_string(exported->sdkMinor)
			+ ", this service offers SDK " + std::to_string(CAMSVC_SDK_VERSION_MAJOR) + "." + std::to_string(CAMSVC_SDK_VERSION_MINOR)
			+ (exported->sdkMajor < CAMSVC_SDK_VERSION_MAJOR ? ": rebuild it against this SDK" : ""));
	if (exported->structSize < sdk::PluginInfoSize2_0)
		throw std::runtime_error("incomplete plugin info record (" + std::to_string(exported->structSize) + " bytes)");
	sdk::PluginInfo info{};
	std::memcpy(&info, exported, std::min<std::size_t>(exported->structSize, sizeof info));
	info.structSize = sizeof info;
	if (!info.abiFingerprint || std::string(info.abiFingerprint) != CAMSVC_SDK_ABI_FINGERPRINT)
		throw std::runtime_error(std::string("ABI mismatch: plugin ") + (info.abiFingerprint ? info.abiFingerprint : "?")
			+ ", service " CAMSVC_SDK_ABI_FINGERPRINT);
	if (!info.create || !info.destroy)
		throw std::runtime_error("no factory");
	return info;
}

} // namespace

std::unique_ptr<PluginManager::Entry> PluginManager::openOne(const std::string& directory, const std::string& name)
{
	auto entry = std::make_unique<Entry>();
	entry->record.name = name;
	entry->record.path = (std::filesystem::path(directory) / (name + ".so")).string();
	try
	{
		if (!std::filesystem::exists(entry->record.path))
			throw std::runtime_error("no such file " + entry->record.path);
		// Load now (not lazily) and never unmap: plugin code may run until exit.
		auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local
			| static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
		entry->library.load(entry->record.path, mode);
		if (!entry->library.has(CAMSVC_PLUGIN_ENTRY_POINT))
			throw std::runtime_error("no entry point " CAMSVC_PLUGIN_ENTRY_POINT "()");
		entry->info = readInfo(entry->library.get<const sdk::PluginInfo*()>(CAMSVC_PLUGIN_ENTRY_POINT)());
		if (!entry->info.name || name != entry->info.name)
			throw std::runtime_error(std::string("library names itself '") + (entry->info.name ? entry->info.name : "") + "'");
		entry->record.version = entry->info.version ? entry->info.version : "";
		entry->record.description = entry->info.description ? entry->info.description : "";
		for (auto dep = entry->info.dependencies; dep && *dep; ++dep)
			entry->record.dependencies.emplace_back(*dep);
		entry->record.state = State::Opened;
	}
	catch (const std::exception& e)
	{
		reject(*entry, State::Rejected, e.what());
	}
	return entry;
}

void PluginManager::open(const std::string& directory, const std::vector<std::string>& names)
{
	std::vector<std::unique_ptr<Entry>> opened;
	std::set<std::string> seen;
	for (const auto& name: names)
		if (!name.empty() && seen.insert(name).second)
			opened.push_back(openOne(directory, name));
	orderByDependencies(std::move(opened));
	// Plugins depending on a rejected one are rejected too (they come later in the order).
	for (auto& e: _entries)
	{
		if (e->record.state == State::Opened && !dependenciesReady(*e, State::Opened))
			reject(*e, State::Rejected, "a required plugin was skipped");
	}
}

void PluginManager::orderByDependencies(std::vector<std::unique_ptr<Entry>> opened)
	/// Kahn's algorithm; plugins left over are missing a dependency or in a cycle.
{
	std::map<std::string, Entry*> byName;
	for (auto& e: opened)
		if (e->record.state == State::Opened)
			byName[e->record.name] = e.get();
	std::set<std::string> placed;
	std::vector<std::unique_ptr<Entry>> ordered;
	bool progress = true;
	while (progress)
	{
		progress = false;
		for (auto& e: opened)
		{
			if (!e || e->record.state != State::Opened || placed.count(e->record.name))
				continue;
			bool ready = true;
			for (const auto& dep: e->record.dependencies)
				ready = ready && placed.count(dep);
			if (!ready)
				continue;
			placed.insert(e->record.name);
			ordered.push_back(std::move(e));
			progress = true;
		}
	}
	for (auto& e: opened)
	{
		if (!e)
			continue;
		if (e->record.state == State::Opened)
		{
			std::string missing;
			for (const auto& dep: e->record.dependencies)
				if (!byName.count(dep))
					missing += (missing.empty() ? "" : ", ") + dep;
			reject(*e, State::Rejected, missing.empty() ? "dependency cycle" : "missing required plugin(s): " + missing);
		}
		ordered.push_back(std::move(e));
	}
	_entries = std::move(ordered);
}

bool PluginManager::dependenciesReady(const Entry& entry, State needed) const
{
	for (const auto& dep: entry.record.dependencies)
	{
		Entry* d = find(dep);
		if (!d || d->record.state != needed)
			return false;
	}
	return true;
}

void PluginManager::forEachReady(State in, State depsNeeded, const std::string& depsMissing, const std::function<void(Entry&)>& step)
{
	for (auto& e: _entries)
	{
		if (e->record.state != in)
			continue;
		if (dependenciesReady(*e, depsNeeded))
		{
			step(*e);
			continue;
		}
		if (e->context)
			e->context->unregisterAll();
		reject(*e, State::Failed, depsMissing);
	}
}

void PluginManager::discard(Entry& entry, const std::string& why)
{
	if (entry.instance)
		entry.info.destroy(entry.instance);
	entry.instance = nullptr;
	reject(entry, State::Failed, why);
}

void PluginManager::declareConfig(ConfigKeyTable& table)
{
	forEachReady(State::Opened, State::Opened, "a required plugin was skipped", [&](Entry& e) {
		try
		{
			e.instance = e.info.create();
			table.setOwner(e.record.name);
			e.instance->declareConfig(table);
		}
		catch (const std::exception& ex)
		{
			discard(e, "declareConfig() failed: " + describe(ex));
		}
	});
}

void PluginManager::loadAll()
{
	if (!_services)
		throw std::logic_error("PluginManager::loadAll() without host services");
	forEachReady(State::Opened, State::Loaded, "a required plugin failed to load", [&](Entry& e) {
		e.context = std::make_unique<PluginContext>(e.record.name, *_services);
		try
		{
			if (!e.instance)
				e.instance = e.info.create();
			e.context->setLoading(true);
			e.instance->load(*e.context);
			e.context->setLoading(false);
			e.record.state = State::Loaded;
		}
		catch (const std::exception& ex)
		{
			e.context->setLoading(false);
			e.context->unregisterAll();
			discard(e, "load() failed: " + describe(ex));
		}
	});
}

void PluginManager::startAll()
{
	forEachReady(State::Loaded, State::Started, "a required plugin failed to start", [&](Entry& e) {
		try
		{
			e.instance->start();
			e.record.state = State::Started;
			_logger.information("plugin %s %s started", e.record.name, e.record.version);
		}
		catch (const std::exception& ex)
		{
			e.context->unregisterAll();
			try
			{
				e.instance->stop();
			}
			catch (...)
			{
			}
			reject(e, State::Failed, "start() failed: " + describe(ex));
		}
	});
}

void PluginManager::stopAll()
{
	for (auto it = _entries.rbegin(); it != _entries.rend(); ++it)
	{
		Entry& e = **it;
		if (e.record.state == State::Started)
		{
			try
			{
				e.instance->stop();
			}
			catch (const std::exception& ex)
			{
				_logger.error("plugin %s: stop() failed: %s", e.record.name, std::string(ex.what()));
			}
			e.record.state = State::Stopped;
		}
	}
	// Instances are destroyed only after every plugin stopped: services may be shared.
	for (auto it = _entries.rbegin(); it != _entries.rend(); ++it)
	{
		Entry& e = **it;
		if (e.instance)
		{
			e.info.destroy(e.instance);
			e.instance = nullptr;
		}
	}
}

void PluginManager::reloadAll()
{
	for (auto& e: _entries)
	{
		if (e->record.state != State::Started)
			continue;
		try
		{
			e->instance->reload();
		}
		catch (const std::exception& ex)
		{
			_logger.error("plugin %s: reload() failed: %s", e->record.name, describe(ex));
		}
	}
}

std::string PluginManager::failure(const std::string& name, State needed) const
{
	Entry* e = find(name);
	if (!e || e->record.state == needed)
		return "";
	return e->record.error.empty() ? "not " + std::string(needed == State::Started ? "started" : "loaded") : e->record.error;
}

std::vector<PluginManager::PluginRecord> PluginManager::records() const
{
	std::vector<PluginRecord> result;
	for (const auto& e: _entries)
		result.push_back(e->record);
	return result;
}

bool PluginManager::isRunning(const std::string& name) const
{
	Entry* e = find(name);
	return e && e->record.state == State::Started;
}

} // namespace camsvc::core
