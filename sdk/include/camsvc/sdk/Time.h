//
// Time.h
//
// Timestamps on the wire are RFC 3339 UTC strings (api-contract.md).
//

#ifndef CAMSVC_SDK_TIME_H
#define CAMSVC_SDK_TIME_H

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <string>

namespace camsvc {
namespace sdk {

inline std::string rfc3339(const Poco::Timestamp& t)
	/// "2025-01-15T14:30:00Z" (whole seconds).
{
	return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%SZ");
}

inline std::string rfc3339Millis(const Poco::Timestamp& t)
	/// "2025-01-15T14:30:00.123Z".
{
	return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%S.%iZ");
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_TIME_H
