//
// RouteRegistry.h
//
// HTTP routes plugins serve on the service's port, matched by method and
// longest path prefix.
//

#ifndef CAMSVC_CORE_ROUTEREGISTRY_H
#define CAMSVC_CORE_ROUTEREGISTRY_H

#include "camsvc/sdk/Http.h"
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace camsvc::core {

struct RegisteredRoute
{
	sdk::HttpRoute route;
	sdk::HttpHandler handler;
	std::string owner;
};

class RouteRegistry
{
public:
	void add(const std::string& owner, const sdk::HttpRoute& route, sdk::HttpHandler handler);
		/// Throws std::invalid_argument for a taken method+prefix or a prefix not starting with '/'.
	void removeOwner(const std::string& owner);
	std::shared_ptr<const RegisteredRoute> match(const std::string& method, const std::string& path) const;
		/// HEAD matches GET routes.

private:
	mutable std::shared_mutex _mutex;
	std::vector<std::shared_ptr<const RegisteredRoute>> _routes;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_ROUTEREGISTRY_H
