#include "http/RouteRegistry.h"
#include <mutex>
#include <stdexcept>

namespace camsvc::core {

void RouteRegistry::add(const std::string& owner, const sdk::HttpRoute& route, sdk::HttpHandler handler)
{
	if (route.pathPrefix.empty() || route.pathPrefix[0] != '/' || !handler)
		throw std::invalid_argument("HTTP route '" + route.pathPrefix + "': prefix must start with '/'");
	std::unique_lock lock(_mutex);
	for (const auto& r: _routes)
	{
		if (r->route.method == route.method && r->route.pathPrefix == route.pathPrefix)
			throw std::invalid_argument("HTTP route " + route.method + " " + route.pathPrefix + " is taken by " + r->owner);
	}
	_routes.push_back(std::make_shared<RegisteredRoute>(RegisteredRoute{route, std::move(handler), owner}));
}

void RouteRegistry::removeOwner(const std::string& owner)
{
	std::unique_lock lock(_mutex);
	std::erase_if(_routes, [&owner](const auto& r) { return r->owner == owner; });
}

std::shared_ptr<const RegisteredRoute> RouteRegistry::match(const std::string& method, const std::string& path) const
{
	const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
	std::shared_lock lock(_mutex);
	std::shared_ptr<const RegisteredRoute> best;
	for (const auto& r: _routes)
	{
		if (r->route.method != wanted || path.compare(0, r->route.pathPrefix.size(), r->route.pathPrefix) != 0)
			continue;
		if (!best || r->route.pathPrefix.size() > best->route.pathPrefix.size())
			best = r;
	}
	return best;
}

} // namespace camsvc::core
