#include "rpc/Json.h"
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/JSONString.h>
#include <sstream>

namespace camsvc::core {

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

bool integersInRange(std::string_view text)
{
	static constexpr std::string_view MaxPositive = "9223372036854775807";
	static constexpr std::string_view MaxNegative = "9223372036854775808";
	std::size_t i = 0;
	const std::size_t n = text.size();
	while (i < n)
	{
		char c = text[i];
		if (c == '"')
		{
			for (++i; i < n && text[i] != '"'; ++i)
				if (text[i] == '\\')
					++i;
			++i;
			continue;
		}
		if (c != '-' && (c < '0' || c > '9'))
		{
			++i;
			continue;
		}
		bool negative = c == '-';
		std::size_t start = negative ? i + 1 : i;
		std::size_t end = start;
		while (end < n && text[end] >= '0' && text[end] <= '9')
			++end;
		bool integer = end >= n || (text[end] != '.' && text[end] != 'e' && text[end] != 'E');
		if (integer)
		{
			std::string_view digits = text.substr(start, end - start);
			while (digits.size() > 1 && digits.front() == '0')
				digits.remove_prefix(1);
			std::string_view limit = negative ? MaxNegative : MaxPositive;
			if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit))
				return false;
		}
		i = end;
		while (i < n && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == 'e' || text[i] == 'E'
			|| text[i] == '+' || text[i] == '-'))
			++i; // the rest of a fraction or exponent
	}
	return true;
}

Poco::Dynamic::Var parseJson(const std::string& text)
{
	thread_local Poco::JSON::Parser parser;
	parser.reset();
	return parser.parse(text);
}

} // namespace camsvc::core
