#include "services/ServiceRegistry.h"
#include <mutex>
#include <stdexcept>

namespace camsvc::core {

void ServiceRegistry::provide(const std::string& owner, const std::string& name, std::shared_ptr<void> service)
{
	if (!service || name.empty())
		throw std::invalid_argument("service " + name + ": empty name or null service");
	std::unique_lock lock(_mutex);
	if (!_services.emplace(name, Entry{owner, std::move(service)}).second)
		throw std::invalid_argument("service " + name + " is already provided by " + _services[name].owner);
}

std::shared_ptr<void> ServiceRegistry::find(const std::string& name) const
{
	std::shared_lock lock(_mutex);
	auto it = _services.find(name);
	return it == _services.end() ? nullptr : it->second.service;
}

void ServiceRegistry::removeOwner(const std::string& owner)
{
	std::unique_lock lock(_mutex);
	for (auto it = _services.begin(); it != _services.end();)
	{
		if (it->second.owner == owner)
			it = _services.erase(it);
		else
			++it;
	}
}

} // namespace camsvc::core
