//
// Plugin.h
//
// The plugin entry point. A plugin is a shared library that exports one
// extern "C" function, camsvc_plugin_info(), written by CAMSVC_PLUGIN():
//
//     class HelloPlugin: public camsvc::sdk::Plugin { ... };
//     CAMSVC_PLUGIN(HelloPlugin, "hello", "1.0.0", "Says hello", nullptr)
//
// Life cycle, driven by the host on its main thread:
//   declareConfig(schema)  every enabled plugin, before any load(): declare
//               every configuration key the plugin reads (Config.h). The
//               core validates the whole configuration against them.
//   load(host)  every plugin, in dependency order: register methods,
//               notifications, routes and services. Do not start threads.
//   start()     every loaded plugin, in dependency order: other plugins'
//               services are available; start threads, open devices.
//   stop()      in reverse order, at shutdown: stop threads, finish work.
//               In-flight calls have finished or timed out.
//   reload()    after a reload (SIGHUP) validated a changed configuration:
//               host.config() holds the new values; apply the keys declared
//               live(). The others are logged by the core as needing a restart.
// A plugin whose load() or start() throws is skipped (and so are plugins that
// require it); the service keeps running with the rest.
//

#ifndef CAMSVC_SDK_PLUGIN_H
#define CAMSVC_SDK_PLUGIN_H

#include "camsvc/sdk/Config.h"
#include "camsvc/sdk/Host.h"
#include "camsvc/sdk/Version.h"
#include <cstddef>
#include <cstdint>

namespace camsvc {
namespace sdk {

class Plugin
{
public:
	virtual ~Plugin() = default;
	virtual void load(Host& host) = 0;
		/// Main thread, once. Register; start nothing.
	virtual void start() {}
		/// Main thread, once, after every load(). Start threads.
	virtual void stop() {}
		/// Main thread, once, at shutdown, in reverse start order.
	virtual void declareConfig(ConfigSchema& schema) { (void)schema; }
		/// Main thread, once, before load(). schema is valid during the call only.
	virtual void reload() {}
		/// Main thread, after start(), whenever a reload changed the configuration; must not block for long.
};

extern "C" {

struct PluginInfo
	/// The plain record a plugin exports, the only struct the host reads by
	/// layout: members are only ever appended; structSize tells the host how
	/// many a plugin has, and the host zero-fills what an older plugin lacks.
{
	std::uint32_t structSize;
	std::uint16_t sdkMajor;
	std::uint16_t sdkMinor;
	const char* abiFingerprint;
	const char* name;         // unique; also the library's file name (<name>.so)
	const char* version;      // the plugin's own version
	const char* description;
	const char* const* dependencies; // required plugins, null-terminated list of plugin names, or null
	Plugin* (*create)();      // the host owns the result and calls destroy()
	void (*destroy)(Plugin*);
};

typedef const PluginInfo* (*PluginInfoFunction)();

}

constexpr std::uint32_t PluginInfoSize2_0 = offsetof(PluginInfo, destroy) + sizeof(PluginInfo::destroy);
	/// The record of SDK 2.0: the host refuses anything shorter.

extern "C" {

}

} } // namespace camsvc::sdk

#define CAMSVC_PLUGIN_ENTRY_POINT "camsvc_plugin_info"

// Writes the entry point. REQUIRES is a braced list of names, e.g.
// CAMSVC_PLUGIN(P, "snapshots", "1.0", "...", "cameras", "storage"), or none.
#define CAMSVC_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION, ...)                          \
	namespace {                                                                          \
	const char* const camsvcPluginRequires[] = {__VA_ARGS__ __VA_OPT__(,) nullptr};      \
	camsvc::sdk::Plugin* camsvcPluginCreate() { return new CLASS; }                      \
	void camsvcPluginDestroy(camsvc::sdk::Plugin* p) { delete p; }                       \
	const camsvc::sdk::PluginInfo camsvcPluginInfo = {                                   \
		sizeof(camsvc::sdk::PluginInfo), CAMSVC_SDK_VERSION_MAJOR, CAMSVC_SDK_VERSION_MINOR, \
		CAMSVC_SDK_ABI_FINGERPRINT, NAME, VERSION, DESCRIPTION, camsvcPluginRequires,    \
		&camsvcPluginCreate, &camsvcPluginDestroy};                                      \
	}                                                                                    \
	extern "C" __attribute__((visibility("default"))) const camsvc::sdk::PluginInfo* camsvc_plugin_info() \
	{                                                                                    \
		return &camsvcPluginInfo;                                                        \
	}

#endif // CAMSVC_SDK_PLUGIN_H
