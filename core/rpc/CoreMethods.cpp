#include "rpc/CoreMethods.h"
#include "camsvc/sdk/Time.h"
#include "rpc/Session.h"
#include <Poco/JSON/Array.h>

using camsvc::sdk::Role;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace camsvc::core {

Poco::JSON::Array::Ptr permissionsOf(Role role)
{
	Poco::JSON::Array::Ptr permissions = new Poco::JSON::Array;
	if (sdk::roleAtLeast(role, Role::Viewer)) permissions->add("view");
	if (sdk::roleAtLeast(role, Role::Operator)) permissions->add("control");
	if (sdk::roleAtLeast(role, Role::Admin)) permissions->add("admin");
	return permissions;
}

void registerCoreMethods(MethodRegistry& methods, const AuthGateway& auth)
{
	methods.add("core", {.name = "ping", .minRole = Role::Viewer, .summary = "Health check", .resultSummary = "\"pong\"",
		.nonBlocking = true},
		[](const Object::Ptr&, const sdk::CallContext&) { return Var("pong"); });

	methods.addSessionMethod({.name = "authenticate", .minRole = Role::None,
		.summary = "Authenticates the session with a JWT or an API key",
		.params = {sdk::ParamSpec("auth_token", sdk::ParamType::String, true, "JWT or API key").maxLen(16384)},
		.resultSummary = "authenticated, role, permissions, expires_at, session_id"},
		[&auth](const Object::Ptr& params, const sdk::CallContext&, Session& session) {
		sdk::Identity identity;
		bool close = false;
		try
		{
			identity = auth.attempt(params->getValue<std::string>("auth_token"), session.clientAddress(), session.connectionId(), &close);
		}
		catch (const sdk::RpcError&)
		{
			// A failed attempt leaves the earlier identity in place: clients
			// re-validate tokens, and authentication lasts until it expires.
			if (close)
				session.requestClose();
			throw;
		}
		session.bind(identity);
		Object::Ptr result = new Object;
		result->set("authenticated", true);
		result->set("role", sdk::roleName(identity.role));
		result->set("permissions", permissionsOf(identity.role));
		result->set("expires_at", sdk::rfc3339(identity.expiresAt));
		result->set("session_id", session.id());
		return Var(result);
	});
}

} // namespace camsvc::core
