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

namespace camsvc {
namespace core {

void appendJson(std::string& out, const Poco::Dynamic::Var& value);
	/// Appends value as JSON; strings and numbers without a stream.
std::string toJson(const Poco::Dynamic::Var& value);
Poco::Dynamic::Var parseJson(const std::string& text);
	/// Throws Poco::Exception on malformed JSON. Thread-safe (one parser per thread).

} } // namespace camsvc::core

#endif // CAMSVC_CORE_JSON_H
