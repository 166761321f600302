//
// SwappableConfiguration.h
//
// The configuration file's layer of the application's LayeredConfiguration,
// replaceable while plugin threads read it: a reload swaps the snapshot it
// delegates to under its own lock, and every read holds a reference to the
// snapshot it uses, so no reader sees a destroyed layer (Poco's
// LayeredConfiguration add/remove are not synchronized; this layer is added
// once and never removed).
//

#ifndef CAMSVC_CORE_SWAPPABLECONFIGURATION_H
#define CAMSVC_CORE_SWAPPABLECONFIGURATION_H

#include <Poco/AutoPtr.h>
#include <Poco/Mutex.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/LayeredConfiguration.h>

namespace camsvc::core {

class SwappableConfiguration: public Poco::Util::AbstractConfiguration
{
public:
	using Ptr = Poco::AutoPtr<SwappableConfiguration>;
	using Layer = Poco::AutoPtr<Poco::Util::AbstractConfiguration>;

	explicit SwappableConfiguration(Layer layer);
	void swap(Layer layer);
		/// The new snapshot; readers still inside the old one finish with it.
	Layer current() const;

protected:
	bool getRaw(const std::string& key, std::string& value) const override;
	void setRaw(const std::string& key, const std::string& value) override;
	void enumerate(const std::string& key, Keys& range) const override;

private:
	mutable Poco::FastMutex _mutex;
	Layer _layer;
};

SwappableConfiguration::Ptr addConfigurationFile(Poco::Util::LayeredConfiguration& config, const std::string& path);
	/// Loads a properties file as the swappable layer below --define (the
	/// priority Application::loadConfiguration() gives it).

} // namespace camsvc::core

#endif // CAMSVC_CORE_SWAPPABLECONFIGURATION_H
