#include "services/HealthRegistry.h"

namespace camsvc {
namespace core {

void HealthRegistry::report(const std::string& owner, const std::string& component, sdk::Health health, const std::string& detail)
{
	std::lock_guard lock(_mutex);
	_components[component] = Entry{owner, health, detail};
}

void HealthRegistry::removeOwner(const std::string& owner)
{
	std::lock_guard lock(_mutex);
	std::erase_if(_components, [&owner](const auto& kv) { return kv.second.owner == owner; });
}

sdk::Health HealthRegistry::overall() const
{
	std::lock_guard lock(_mutex);
	sdk::Health worst = sdk::Health::Healthy;
	for (const auto& [name, e]: _components)
		if (static_cast<int>(e.health) > static_cast<int>(worst))
			worst = e.health;
	return worst;
}

bool HealthRegistry::ready() const
{
	return _started && overall() != sdk::Health::Unhealthy;
}

Poco::JSON::Object::Ptr HealthRegistry::components() const
{
	Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
	std::lock_guard lock(_mutex);
	for (const auto& [name, e]: _components)
	{
		Poco::JSON::Object::Ptr c = new Poco::JSON::Object;
		c->set("status", sdk::healthName(e.health));
		c->set("detail", e.detail);
		result->set(name, c);
	}
	return result;
}

} } // namespace camsvc::core
