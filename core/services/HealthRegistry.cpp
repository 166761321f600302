#include "services/HealthRegistry.h"

namespace camsvc::core {

void HealthRegistry::report(const std::string& owner, const std::string& component, sdk::Health health, const std::string& detail)
{
	sdk::Health before = overall();
	{
		std::lock_guard lock(_mutex);
		_components[component] = Entry{owner, health, detail};
	}
	sdk::Health after = overall();
	if (after != before && _listener)
		_listener(after);
}

void HealthRegistry::onOverallChange(std::function<void(sdk::Health)> listener)
{
	_listener = std::move(listener);
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

std::vector<sdk::ComponentHealth> HealthRegistry::list() const
{
	std::vector<sdk::ComponentHealth> result;
	std::lock_guard lock(_mutex);
	for (const auto& [name, e]: _components)
		result.push_back({name, e.health, e.detail});
	return result;
}

Poco::JSON::Object::Ptr HealthRegistry::components() const
{
	Poco::JSON::Object::Ptr result = new Poco::JSON::Object;
	for (const auto& c: list())
	{
		Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
		entry->set("status", sdk::healthName(c.health));
		entry->set("detail", c.detail);
		result->set(c.name, entry);
	}
	return result;
}

} // namespace camsvc::core
