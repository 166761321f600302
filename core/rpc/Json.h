//
// Json.h
//
// Small JSON helpers on top of Poco::JSON for the request path.
//

#ifndef CAMSVC_CORE_JSON_H
#define CAMSVC_CORE_JSON_H

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <string>
#include <string_view>

namespace camsvc::core {

void appendJson(std::string& out, const Poco::Dynamic::Var& value);
	/// Appends value as JSON; strings and numbers without a stream.
std::string toJson(const Poco::Dynamic::Var& value);
Poco::Dynamic::Var parseJson(const std::string& text);
	/// Throws Poco::Exception on malformed JSON. Thread-safe (one parser per thread).
bool integersInRange(std::string_view text);
	/// False when the text holds an integer literal outside int64 (Poco's
	/// parser would wrap it silently: 2^64 reads as 0). Strings are skipped.

} // namespace camsvc::core

#endif // CAMSVC_CORE_JSON_H
