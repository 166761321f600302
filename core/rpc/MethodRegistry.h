//
// MethodRegistry.h
//
// Every JSON-RPC method the service offers, with the spec it was registered
// with and the plugin that owns it. Written while plugins load, read on every
// request.
//

#ifndef CAMSVC_CORE_METHODREGISTRY_H
#define CAMSVC_CORE_METHODREGISTRY_H

#include "camsvc/sdk/Method.h"
#include "metrics/MethodStats.h"
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace camsvc::core {

class Session;

using SessionMethodHandler = std::function<Poco::Dynamic::Var(const Poco::JSON::Object::Ptr& params,
	const sdk::CallContext& ctx, Session& session)>;
	/// Core methods that act on the caller's session (authenticate, subscribe_events).

struct RegisteredMethod
{
	sdk::MethodSpec spec;
	sdk::MethodHandler handler;          // plugin methods
	SessionMethodHandler sessionHandler; // core methods
	std::string owner;                   // plugin name, or "core"
	std::shared_ptr<MethodStats> stats = std::make_shared<MethodStats>();
};

class MethodRegistry
{
public:
	void add(const std::string& owner, const sdk::MethodSpec& spec, sdk::MethodHandler handler);
		/// Throws std::invalid_argument if the name is taken or the spec is malformed.
	void addSessionMethod(const sdk::MethodSpec& spec, SessionMethodHandler handler);
	void removeOwner(const std::string& owner);
	std::shared_ptr<const RegisteredMethod> find(const std::string& name) const;
	std::vector<std::shared_ptr<const RegisteredMethod>> all() const;
		/// Sorted by name.

private:
	void insert(std::shared_ptr<const RegisteredMethod> method);

	mutable std::shared_mutex _mutex;
	std::map<std::string, std::shared_ptr<const RegisteredMethod>> _methods;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_METHODREGISTRY_H
