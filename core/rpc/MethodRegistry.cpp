#include "rpc/MethodRegistry.h"
#include <mutex>
#include <set>
#include <stdexcept>

namespace camsvc::core {

namespace {

void checkSpec(const sdk::MethodSpec& spec)
{
	if (spec.name.empty())
		throw std::invalid_argument("method name is empty");
	std::set<std::string> names;
	for (const auto& p: spec.params)
	{
		if (p.name.empty() || !names.insert(p.name).second)
			throw std::invalid_argument("method " + spec.name + ": empty or duplicate param name");
	}
}

} // namespace

void MethodRegistry::add(const std::string& owner, const sdk::MethodSpec& spec, sdk::MethodHandler handler)
{
	if (!handler)
		throw std::invalid_argument("method " + spec.name + ": no handler");
	auto m = std::make_shared<RegisteredMethod>();
	m->spec = spec;
	m->handler = std::move(handler);
	m->owner = owner;
	insert(std::move(m));
}

void MethodRegistry::addSessionMethod(const sdk::MethodSpec& spec, SessionMethodHandler handler)
{
	auto m = std::make_shared<RegisteredMethod>();
	m->spec = spec;
	m->sessionHandler = std::move(handler);
	m->owner = "core";
	insert(std::move(m));
}

void MethodRegistry::insert(std::shared_ptr<const RegisteredMethod> method)
{
	checkSpec(method->spec);
	std::unique_lock lock(_mutex);
	if (!_methods.emplace(method->spec.name, method).second)
		throw std::invalid_argument("method " + method->spec.name + " is already registered");
}

void MethodRegistry::removeOwner(const std::string& owner)
{
	std::unique_lock lock(_mutex);
	for (auto it = _methods.begin(); it != _methods.end();)
	{
		if (it->second->owner == owner)
			it = _methods.erase(it);
		else
			++it;
	}
}

std::shared_ptr<const RegisteredMethod> MethodRegistry::find(const std::string& name) const
{
	std::shared_lock lock(_mutex);
	auto it = _methods.find(name);
	return it == _methods.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const RegisteredMethod>> MethodRegistry::all() const
{
	std::shared_lock lock(_mutex);
	std::vector<std::shared_ptr<const RegisteredMethod>> result;
	result.reserve(_methods.size());
	for (const auto& [name, m]: _methods)
		result.push_back(m);
	return result;
}

} // namespace camsvc::core
