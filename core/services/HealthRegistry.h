//
// HealthRegistry.h
//
// Health of the service's components as plugins report it; drives
// /health/ready and get_status.
//

#ifndef CAMSVC_CORE_HEALTHREGISTRY_H
#define CAMSVC_CORE_HEALTHREGISTRY_H

#include "camsvc/sdk/Introspection.h"
#include <Poco/JSON/Object.h>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace camsvc::core {

class HealthRegistry
{
public:
	void report(const std::string& owner, const std::string& component, sdk::Health health, const std::string& detail);
	void removeOwner(const std::string& owner);
	void setStarted(bool started) { _started = started; }
	void onOverallChange(std::function<void(sdk::Health)> listener);
		/// Called (outside the lock, on the reporting thread) when report()
		/// changes the overall health. Set once, before plugins start.
	bool started() const { return _started; }

	sdk::Health overall() const;
		/// The worst component's health (Healthy with no components).
	bool ready() const;
		/// Started and no component unhealthy.
	std::vector<sdk::ComponentHealth> list() const;
	Poco::JSON::Object::Ptr components() const;
		/// {name: {status, detail}}.

private:
	struct Entry
	{
		std::string owner;
		sdk::Health health;
		std::string detail;
	};
	mutable std::mutex _mutex;
	std::map<std::string, Entry> _components;
	std::atomic<bool> _started{false};
	std::function<void(sdk::Health)> _listener;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_HEALTHREGISTRY_H
