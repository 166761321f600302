//
// SwappableConfiguration.cpp
//

#include "config/SwappableConfiguration.h"
#include <Poco/Exception.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/PropertyFileConfiguration.h>

namespace camsvc::core {

SwappableConfiguration::SwappableConfiguration(Layer layer): _layer(std::move(layer))
{
}

void SwappableConfiguration::swap(Layer layer)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_layer.swap(layer);
	// The old snapshot is released here, or by the last reader still using it.
}

SwappableConfiguration::Layer SwappableConfiguration::current() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _layer;
}

bool SwappableConfiguration::getRaw(const std::string& key, std::string& value) const
{
	Layer layer = current();
	if (!layer->has(key))
		return false;
	value = layer->getRawString(key);
	return true;
}

void SwappableConfiguration::setRaw(const std::string& key, const std::string&)
{
	throw Poco::InvalidAccessException("the configuration file's layer is read-only", key);
}

void SwappableConfiguration::enumerate(const std::string& key, Keys& range) const
{
	current()->keys(key, range);
}

SwappableConfiguration::Ptr addConfigurationFile(Poco::Util::LayeredConfiguration& config, const std::string& path)
{
	SwappableConfiguration::Ptr layer = new SwappableConfiguration(new Poco::Util::PropertyFileConfiguration(path));
	config.add(layer, "file", Poco::Util::Application::PRIO_DEFAULT, false);
	return layer;
}

} // namespace camsvc::core
