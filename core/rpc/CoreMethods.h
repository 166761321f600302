//
// CoreMethods.h
//
// Methods the core itself offers: ping, authenticate.
//

#ifndef CAMSVC_CORE_COREMETHODS_H
#define CAMSVC_CORE_COREMETHODS_H

#include "rpc/AuthGateway.h"
#include "rpc/MethodRegistry.h"

namespace camsvc::core {

void registerCoreMethods(MethodRegistry& methods, const AuthGateway& auth);

Poco::JSON::Array::Ptr permissionsOf(sdk::Role role);
	/// viewer ["view"], operator ["view","control"], admin ["view","control","admin"].

} // namespace camsvc::core

#endif // CAMSVC_CORE_COREMETHODS_H
