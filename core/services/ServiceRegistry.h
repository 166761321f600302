//
// ServiceRegistry.h
//
// Typed services plugins publish for each other (and for the core), by
// versioned name. Owned references live until the process exits.
//

#ifndef CAMSVC_CORE_SERVICEREGISTRY_H
#define CAMSVC_CORE_SERVICEREGISTRY_H

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>

namespace camsvc::core {

class ServiceRegistry
{
public:
	void provide(const std::string& owner, const std::string& name, std::shared_ptr<void> service);
		/// Throws std::invalid_argument if the name is taken or the service is null.
	std::shared_ptr<void> find(const std::string& name) const;
	void removeOwner(const std::string& owner);

	template <class T>
	std::shared_ptr<T> find() const
	{
		return std::static_pointer_cast<T>(find(T::ServiceName));
	}

private:
	struct Entry
	{
		std::string owner;
		std::shared_ptr<void> service;
	};
	mutable std::shared_mutex _mutex;
	std::map<std::string, Entry> _services;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICEREGISTRY_H
