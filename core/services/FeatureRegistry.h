//
// FeatureRegistry.h
//
// What each plugin adds to the service (Host::declareFeature()): a
// capability and the file formats it brings, for get_server_info. The core
// reports what plugins declare instead of guessing from method names.
//

#ifndef CAMSVC_CORE_FEATUREREGISTRY_H
#define CAMSVC_CORE_FEATUREREGISTRY_H

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace camsvc::core {

class FeatureRegistry
{
public:
	void declare(const std::string& owner, const std::string& capability, const std::vector<std::string>& formats);
		/// Throws std::invalid_argument for an empty or already declared capability.
	void removeOwner(const std::string& owner);
	std::map<std::string, std::vector<std::string>> all() const;
		/// capability -> formats, sorted by capability.

private:
	struct Feature
	{
		std::string owner;
		std::vector<std::string> formats;
	};
	mutable std::mutex _mutex;
	std::map<std::string, Feature> _features;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_FEATUREREGISTRY_H
