//
// StrictDecoder.cpp
//

#include "StrictDecoder.h"
#include <Poco/DateTimeParser.h>
#include <Poco/RegularExpression.h>

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace camsvc::test {

namespace {

bool isInteger(const Var& v)
{
	return !v.isEmpty() && v.isInteger() && v.type() != typeid(bool);
}

} // namespace

std::string jsonTypeName(const Var& v)
{
	if (v.isEmpty()) return "null";
	if (v.type() == typeid(bool)) return "bool";
	if (v.type() == typeid(Object::Ptr)) return "object";
	if (v.type() == typeid(Array::Ptr)) return "array";
	if (v.isString()) return "string";
	if (v.isInteger()) return "integer";
	if (v.isNumeric()) return "float";
	return v.type().name();
}

StrictDecoder::StrictDecoder(const Var& value, std::string path, std::vector<std::string>& errors):
	_path(std::move(path)), _errors(&errors)
{
	if (value.type() == typeid(Object::Ptr))
		_object = value.extract<Object::Ptr>();
	else
		errors.push_back(_path + ": " + jsonTypeName(value) + " where an object is expected");
}

void StrictDecoder::fail(const std::string& field, const std::string& what)
{
	_errors->push_back(_path + "." + field + ": " + what);
}

bool StrictDecoder::has(const std::string& field) const
{
	return _object && _object->has(field);
}

Var StrictDecoder::require(const std::string& field, const char* type)
{
	if (!_object)
		return Var();
	if (!_object->has(field))
	{
		fail(field, std::string("missing (") + type + ")");
		return Var();
	}
	return _object->get(field);
}

std::string StrictDecoder::string(const std::string& field)
{
	Var v = require(field, "string");
	if (!has(field))
		return {};
	if (v.isEmpty() || !v.isString())
	{
		fail(field, jsonTypeName(v) + " where a string is expected");
		return {};
	}
	return v.extract<std::string>();
}

std::int64_t StrictDecoder::integer(const std::string& field)
{
	Var v = require(field, "integer");
	if (!has(field))
		return 0;
	if (!isInteger(v))
	{
		fail(field, jsonTypeName(v) + " where an integer is expected");
		return 0;
	}
	return v.convert<std::int64_t>();
}

double StrictDecoder::number(const std::string& field)
{
	Var v = require(field, "number");
	if (!has(field))
		return 0;
	if (v.isEmpty() || v.type() == typeid(bool) || v.isString() || !v.isNumeric())
	{
		fail(field, jsonTypeName(v) + " where a number is expected");
		return 0;
	}
	return v.convert<double>();
}

bool StrictDecoder::boolean(const std::string& field)
{
	Var v = require(field, "bool");
	if (!has(field))
		return false;
	if (v.type() != typeid(bool))
	{
		fail(field, jsonTypeName(v) + " where a bool is expected");
		return false;
	}
	return v.extract<bool>();
}

bool StrictDecoder::isRfc3339(const std::string& text)
{
	static const Poco::RegularExpression shape(
		"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$");
	if (!shape.match(text))
		return false;
	Poco::DateTime parsed;
	int tz = 0;
	return Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tz)
		|| Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, parsed, tz);
}

Poco::Timestamp StrictDecoder::time(const std::string& field)
{
	Var v = require(field, "RFC 3339 time");
	if (!has(field))
		return Poco::Timestamp(0);
	if (!v.isString() || v.isEmpty())
	{
		fail(field, jsonTypeName(v) + " where an RFC 3339 time string is expected");
		return Poco::Timestamp(0);
	}
	const std::string& text = v.extract<std::string>();
	if (!isRfc3339(text))
	{
		fail(field, "\"" + text + "\" is not RFC 3339");
		return Poco::Timestamp(0);
	}
	Poco::DateTime parsed;
	int tz = 0;
	Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tz);
	parsed.makeUTC(tz);
	return parsed.timestamp();
}

Array::Ptr StrictDecoder::arrayField(const std::string& field, const char* what)
{
	Var v = require(field, what);
	if (!has(field))
		return nullptr;
	if (v.type() != typeid(Array::Ptr))
	{
		fail(field, jsonTypeName(v) + " where " + what + " is expected");
		return nullptr;
	}
	return v.extract<Array::Ptr>();
}

std::vector<std::string> StrictDecoder::strings(const std::string& field)
{
	std::vector<std::string> out;
	auto array = arrayField(field, "an array of strings");
	for (std::size_t i = 0; array && i < array->size(); ++i)
	{
		Var item = array->get(static_cast<unsigned>(i));
		if (item.isEmpty() || !item.isString())
			fail(field + "[" + std::to_string(i) + "]", jsonTypeName(item) + " where a string is expected");
		else
			out.push_back(item.extract<std::string>());
	}
	return out;
}

std::map<std::string, std::string> StrictDecoder::stringMap(const std::string& field)
{
	std::map<std::string, std::string> out;
	Var v = require(field, "object of strings");
	if (!has(field))
		return out;
	if (v.type() != typeid(Object::Ptr))
	{
		fail(field, jsonTypeName(v) + " where an object of strings (map[string]string) is expected");
		return out;
	}
	auto object = v.extract<Object::Ptr>();
	for (const auto& [key, item]: *object)
	{
		if (item.isEmpty() || !item.isString())
			fail(field + "." + key, jsonTypeName(item) + " where a string is expected (map[string]string)");
		else
			out[key] = item.extract<std::string>();
	}
	return out;
}

StrictDecoder StrictDecoder::object(const std::string& field)
{
	Var v = require(field, "object");
	if (!has(field))
		return StrictDecoder(Var(Object::Ptr(new Object)), _path + "." + field, *_errors);
	return StrictDecoder(v, _path + "." + field, *_errors);
}

std::vector<StrictDecoder> StrictDecoder::objects(const std::string& field)
{
	std::vector<StrictDecoder> out;
	auto array = arrayField(field, "an array of objects");
	for (std::size_t i = 0; array && i < array->size(); ++i)
		out.emplace_back(array->get(static_cast<unsigned>(i)), _path + "." + field + "[" + std::to_string(i) + "]", *_errors);
	return out;
}

} // namespace camsvc::test
