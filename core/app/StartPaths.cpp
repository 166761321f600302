//
// StartPaths.cpp
//

#include "app/StartPaths.h"
#include <Poco/AutoPtr.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/MapConfiguration.h>
#include <filesystem>

namespace camsvc::core {

namespace {

const std::string Label = "start-paths";
constexpr int Priority = Poco::Util::Application::PRIO_APPLICATION - 1; // above --define, whose values it resolves

} // namespace

const std::vector<std::string>& pathKeys()
{
	static const std::vector<std::string> keys{
		"state.directory", "plugins.directory", "logging.file",
		"server.tls.certificate", "server.tls.private_key",
		"auth.jwt.secret_file", "auth.api_keys.file",
		"storage.recordings.path", "storage.snapshots.path", "storage.catalog.path",
		"cameras.v4l2.device_dir",
		"mqtt.tls.ca_file", "mqtt.tls.certificate", "mqtt.tls.private_key"};
	return keys;
}

std::string absolutePath(const std::string& path, const std::string& base)
{
	if (path.empty() || path.front() == '/')
		return path;
	return (std::filesystem::path(base) / path).lexically_normal().string();
}

void resolveStartPaths(Poco::Util::LayeredConfiguration& config, const std::vector<std::string>& keys, const std::string& base)
{
	if (auto previous = config.find(Label))
		config.removeConfiguration(previous);
	Poco::AutoPtr<Poco::Util::MapConfiguration> resolved(new Poco::Util::MapConfiguration);
	for (const auto& key: keys)
	{
		if (!config.has(key))
			continue;
		std::string value = config.getString(key); // ${...} expanded, over the layers resolved so far
		std::string absolute = absolutePath(value, base);
		if (absolute != value)
			resolved->setString(key, absolute);
	}
	config.add(resolved, Label, Priority, false);
}

} // namespace camsvc::core
