#include "services/FeatureRegistry.h"
#include <stdexcept>

namespace camsvc::core {

void FeatureRegistry::declare(const std::string& owner, const std::string& capability, const std::vector<std::string>& formats)
{
	if (capability.empty())
		throw std::invalid_argument("a feature needs a name");
	std::lock_guard<std::mutex> lock(_mutex);
	if (!_features.emplace(capability, Feature{owner, formats}).second)
		throw std::invalid_argument("feature " + capability + " is already declared by " + _features.at(capability).owner);
}

void FeatureRegistry::removeOwner(const std::string& owner)
{
	std::lock_guard<std::mutex> lock(_mutex);
	for (auto it = _features.begin(); it != _features.end();)
		it = it->second.owner == owner ? _features.erase(it) : std::next(it);
}

std::map<std::string, std::vector<std::string>> FeatureRegistry::all() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::map<std::string, std::vector<std::string>> result;
	for (const auto& [name, feature]: _features)
		result.emplace(name, feature.formats);
	return result;
}

} // namespace camsvc::core
