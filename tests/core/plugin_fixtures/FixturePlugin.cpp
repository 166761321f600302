//
// FixturePlugin.cpp
//
// One source, several plugins: each FIXTURE_* definition builds a plugin the
// plugin host must accept or reject.
//

#include "camsvc/sdk/Plugin.h"
#include <stdexcept>

namespace {

struct Greeter
{
	static constexpr const char* ServiceName = "fixture.Greeter/1";
	std::string greet() const { return "hello"; }
};

camsvc::sdk::MethodSpec spec(const std::string& name)
{
	camsvc::sdk::MethodSpec s;
	s.name = name;
	s.minRole = camsvc::sdk::Role::None;
	return s;
}

class FixturePlugin: public camsvc::sdk::Plugin
{
public:
	void load(camsvc::sdk::Host& host) override
	{
		_host = &host;
		host.registerMethod(spec(host.pluginName() + ".hello"), [](const auto&, const auto&) { return Poco::Dynamic::Var("hi"); });
#if defined(FIXTURE_GOOD)
		host.provide(std::make_shared<Greeter>());
#endif
#if defined(FIXTURE_THROWS_LOAD)
		throw std::runtime_error("load failed on purpose");
#endif
	}

	void start() override
	{
#if defined(FIXTURE_DEPENDENT)
		if (!_host->find<Greeter>() || _host->find<Greeter>()->greet() != "hello")
			throw std::runtime_error("greeter service missing");
#endif
#if defined(FIXTURE_THROWS_START)
		throw std::runtime_error("start failed on purpose");
#endif
	}

private:
	camsvc::sdk::Host* _host = nullptr;
};

} // namespace

#if defined(FIXTURE_WRONG_MAJOR)
#undef CAMSVC_SDK_VERSION_MAJOR
#define CAMSVC_SDK_VERSION_MAJOR 1 // a 1.x plugin: its HTTP handler type is not 2.0's
#endif
#if defined(FIXTURE_NEWER_MINOR)
#undef CAMSVC_SDK_VERSION_MINOR
#define CAMSVC_SDK_VERSION_MINOR 99
#endif
#if defined(FIXTURE_OLDER_MINOR)
#undef CAMSVC_SDK_VERSION_MINOR
#define CAMSVC_SDK_VERSION_MINOR 0
#endif
#if defined(FIXTURE_BAD_ABI)
#undef CAMSVC_SDK_ABI_FINGERPRINT
#define CAMSVC_SDK_ABI_FINGERPRINT "other-compiler|poco-0"
#endif

#if !defined(FIXTURE_NO_ENTRY)
#if defined(FIXTURE_DEPENDENT)
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture", "good")
#elif defined(FIXTURE_NEEDS_MISSING)
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture", "absent")
#elif defined(FIXTURE_CYCLE_A)
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture", "cycle_b")
#elif defined(FIXTURE_CYCLE_B)
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture", "cycle_a")
#elif defined(FIXTURE_ON_FAILED)
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture", "throws_load")
#else
CAMSVC_PLUGIN(FixturePlugin, FIXTURE_NAME, "1.0.0", "fixture")
#endif
#else
extern "C" __attribute__((visibility("default"))) int not_the_entry_point() { return 0; }
#endif
