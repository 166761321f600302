#include "rpc/Json.h"
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/JSONString.h>
#include <sstream>

namespace camsvc {
namespace core {

void appendJson(std::string& out, const Poco::Dynamic::Var& value)
{
	if (value.isEmpty())
		out += "null";
	else if (value.type() == typeid(std::string))
		out += Poco::toJSON(value.extract<std::string>(), Poco::JSON_WRAP_STRINGS);
	else if (value.type() == typeid(bool))
		out += value.extract<bool>() ? "true" : "false";
	else if (value.isInteger() && value.isSigned())
		out += std::to_string(value.convert<Poco::Int64>());
	else if (value.isInteger())
		out += std::to_string(value.convert<Poco::UInt64>());
	else
	{
		std::ostringstream os;
		Poco::JSON::Stringifier::stringify(value, os, 0, -1, Poco::JSON_WRAP_STRINGS);
		out += os.str();
	}
}

std::string toJson(const Poco::Dynamic::Var& value)
{
	std::string out;
	appendJson(out, value);
	return out;
}

Poco::Dynamic::Var parseJson(const std::string& text)
{
	thread_local Poco::JSON::Parser parser;
	parser.reset();
	return parser.parse(text);
}

} } // namespace camsvc::core
