#include "rpc/ParamValidator.h"
#include "camsvc/sdk/Errors.h"
#include <algorithm>
#include <cmath>

using camsvc::sdk::ParamType;
using camsvc::sdk::RpcError;

namespace camsvc::core {

const char* paramTypeName(ParamType type)
{
	switch (type)
	{
	case ParamType::String:  return "string";
	case ParamType::Integer: return "integer";
	case ParamType::Number:  return "number";
	case ParamType::Boolean: return "boolean";
	case ParamType::Object:  return "object";
	case ParamType::Array:   return "array";
	default:                 return "any";
	}
}

namespace {

bool isBool(const Poco::Dynamic::Var& v)
{
	return v.type() == typeid(bool);
}

bool hasType(const Poco::Dynamic::Var& v, ParamType type)
{
	switch (type)
	{
	case ParamType::String:
		return v.isString();
	case ParamType::Integer:
		if (isBool(v) || !v.isNumeric()) return false;
		if (v.isInteger()) return true;
		{
			double d = v.convert<double>();
			return std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15;
		}
	case ParamType::Number:
		return !isBool(v) && v.isNumeric();
	case ParamType::Boolean:
		return isBool(v);
	case ParamType::Object:
		return v.type() == typeid(Poco::JSON::Object::Ptr);
	case ParamType::Array:
		return v.type() == typeid(Poco::JSON::Array::Ptr);
	default:
		return true;
	}
}

RpcError wrong(const sdk::ParamSpec& p, const std::string& reason, const std::string& message)
{
	return RpcError::invalidParams(p.name, reason, message);
}

} // namespace

Poco::JSON::Object::Ptr namedParams(const sdk::MethodSpec& spec, const Poco::Dynamic::Var& params)
{
	if (params.isEmpty())
		return new Poco::JSON::Object;
	if (params.type() == typeid(Poco::JSON::Object::Ptr))
		return params.extract<Poco::JSON::Object::Ptr>();
	if (params.type() == typeid(Poco::JSON::Array::Ptr))
	{
		auto array = params.extract<Poco::JSON::Array::Ptr>();
		if (array->size() > spec.params.size())
			throw RpcError::invalidParams("params", "too_many_params", "Too many positional params");
		Poco::JSON::Object::Ptr named = new Poco::JSON::Object;
		for (std::size_t i = 0; i < array->size(); ++i)
			named->set(spec.params[i].name, array->get(static_cast<unsigned>(i)));
		return named;
	}
	throw RpcError::invalidParams("params", "wrong_type", "params must be an object or an array");
}

void validateParams(const sdk::MethodSpec& spec, const Poco::JSON::Object& params)
{
	for (const auto& p: spec.params)
	{
		Poco::Dynamic::Var v = params.get(p.name);
		if (v.isEmpty())
		{
			if (p.required)
				throw wrong(p, "missing_param", "Missing required param: " + p.name);
			continue;
		}
		if (!hasType(v, p.type))
			throw wrong(p, "wrong_type", "Param " + p.name + " must be " + paramTypeName(p.type));
		if (p.type == ParamType::Integer || p.type == ParamType::Number)
		{
			double d = v.convert<double>();
			if (d < p.minimum || d > p.maximum)
				throw wrong(p, "out_of_range", "Param " + p.name + " is out of range");
		}
		else if (p.type == ParamType::String)
		{
			const std::string& s = v.extract<std::string>();
			if (p.maxLength && s.size() > p.maxLength)
				throw wrong(p, "too_long", "Param " + p.name + " is too long");
			if (!p.oneOf.empty() && std::find(p.oneOf.begin(), p.oneOf.end(), s) == p.oneOf.end())
				throw wrong(p, "not_allowed", "Param " + p.name + " has an unsupported value");
		}
	}
	if (spec.allowExtraParams)
		return;
	for (const auto& [name, value]: params)
	{
		bool known = std::any_of(spec.params.begin(), spec.params.end(),
			[&name = name](const sdk::ParamSpec& p) { return p.name == name; });
		if (!known)
			throw RpcError::invalidParams(name, "unknown_param", "Unknown param: " + name);
	}
}

} // namespace camsvc::core
