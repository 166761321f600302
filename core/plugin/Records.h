//
// Records.h
//
// Reads the records plugins hand the host (sdk/README.md "ABI rules"): a
// method spec, an HTTP route, an identity. A member is read by name; one an
// older plugin does not write takes the default of today's struct, one of
// the wrong type is refused with std::invalid_argument naming it.
//

#ifndef CAMSVC_CORE_RECORDS_H
#define CAMSVC_CORE_RECORDS_H

#include "camsvc/sdk/Http.h"
#include "camsvc/sdk/Identity.h"
#include "camsvc/sdk/Method.h"
#include <Poco/JSON/Object.h>

namespace camsvc::core {

sdk::MethodSpec methodSpecFromRecord(const Poco::JSON::Object::Ptr& record);
sdk::HttpRoute httpRouteFromRecord(const Poco::JSON::Object::Ptr& record);
sdk::Identity identityFromRecord(const Poco::JSON::Object::Ptr& record);

} // namespace camsvc::core

#endif // CAMSVC_CORE_RECORDS_H
