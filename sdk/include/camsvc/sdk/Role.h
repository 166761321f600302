//
// Role.h
//
// Roles are hierarchical: viewer < operator < admin. A method is registered
// with the minimum role it needs; Role::None marks a method open to anyone.
//

#ifndef CAMSVC_SDK_ROLE_H
#define CAMSVC_SDK_ROLE_H

#include <string>

namespace camsvc {
namespace sdk {

enum class Role
{
	None     = 0, // no authentication needed (authenticate, public HTTP routes)
	Viewer   = 1,
	Operator = 2,
	Admin    = 3
};

inline const char* roleName(Role role)
{
	switch (role)
	{
	case Role::Viewer:   return "viewer";
	case Role::Operator: return "operator";
	case Role::Admin:    return "admin";
	default:             return "none";
	}
}

inline bool parseRole(const std::string& name, Role& role)
	/// Parses "viewer", "operator" or "admin". Returns false for anything else.
{
	if (name == "viewer")   { role = Role::Viewer;   return true; }
	if (name == "operator") { role = Role::Operator; return true; }
	if (name == "admin")    { role = Role::Admin;    return true; }
	return false;
}

inline bool roleAtLeast(Role have, Role need)
{
	return static_cast<int>(have) >= static_cast<int>(need);
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_ROLE_H
