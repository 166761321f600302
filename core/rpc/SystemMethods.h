//
// SystemMethods.h
//
// Core methods about the session and the method registry itself:
// subscribe_events, unsubscribe_events, rpc.discover (OpenRPC).
//

#ifndef CAMSVC_CORE_SYSTEMMETHODS_H
#define CAMSVC_CORE_SYSTEMMETHODS_H

#include "events/EventBus.h"
#include "rpc/MethodRegistry.h"

namespace camsvc::core {

void registerSystemMethods(MethodRegistry& methods, EventBus& events);

Poco::JSON::Object::Ptr openRpcDocument(const MethodRegistry& methods, const EventBus& events);
	/// OpenRPC 1.2 document of every registered method (params from their ParamSpecs).

} // namespace camsvc::core

#endif // CAMSVC_CORE_SYSTEMMETHODS_H
