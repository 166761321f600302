#include "plugin/Records.h"
#include <Poco/JSON/Array.h>
#include <stdexcept>

namespace camsvc::core {

namespace {

class RecordReader
	/// Typed members of one record; the record's kind names it in errors.
{
public:
	RecordReader(const Poco::JSON::Object::Ptr& record, const char* kind): _record(record), _kind(kind)
	{
		if (!record)
			throw std::invalid_argument(std::string(kind) + " record is null");
	}

	std::string text(const char* name, std::string fallback = {}) const
	{
		return member<std::string>(name, std::move(fallback), &Poco::Dynamic::Var::isString, "a string");
	}

	bool flag(const char* name, bool fallback) const
	{
		return member<bool>(name, fallback, &Poco::Dynamic::Var::isBoolean, "a boolean");
	}

	double number(const char* name, double fallback) const
	{
		return member<double>(name, fallback, &Poco::Dynamic::Var::isNumeric, "a number");
	}

	template <class Enum>
	Enum enumeration(const char* name, Enum fallback, int last) const
	{
		double n = number(name, static_cast<double>(static_cast<int>(fallback)));
		if (n < 0 || n > last || n != static_cast<int>(n))
			throw wrongType(name, "one of the enumeration's values");
		return static_cast<Enum>(static_cast<int>(n));
	}

	Poco::JSON::Array::Ptr list(const char* name) const
	{
		if (!_record->has(name))
			return new Poco::JSON::Array;
		auto array = _record->getArray(name);
		if (!array)
			throw wrongType(name, "an array");
		return array;
	}

private:
	template <class T>
	T member(const char* name, T fallback, bool (Poco::Dynamic::Var::*isKind)() const, const char* kindName) const
		/// The member called name, fallback when absent; of another JSON type: an error.
	{
		if (!_record->has(name))
			return fallback;
		auto v = _record->get(name);
		if (!(v.*isKind)())
			throw wrongType(name, kindName);
		return v.convert<T>();
	}

	std::invalid_argument wrongType(const char* name, const char* expected) const
	{
		return std::invalid_argument(std::string(_kind) + " record: member " + name + " is not " + expected);
	}

	const Poco::JSON::Object::Ptr& _record;
	const char* _kind;
};

sdk::ParamSpec paramSpecFromRecord(const Poco::JSON::Object::Ptr& record)
{
	RecordReader r(record, "param spec");
	sdk::ParamSpec p;
	p.name = r.text("name");
	p.type = r.enumeration("type", p.type, static_cast<int>(sdk::ParamType::Any));
	p.required = r.flag("required", p.required);
	p.description = r.text("description");
	p.minimum = r.number("minimum", p.minimum);
	p.maximum = r.number("maximum", p.maximum);
	p.maxLength = static_cast<std::size_t>(r.number("maxLength", 0));
	auto values = r.list("oneOf");
	for (std::size_t i = 0; i < values->size(); ++i)
		p.oneOf.push_back(values->getElement<std::string>(static_cast<unsigned>(i)));
	return p;
}

} // namespace

sdk::MethodSpec methodSpecFromRecord(const Poco::JSON::Object::Ptr& record)
{
	RecordReader r(record, "method spec");
	sdk::MethodSpec spec;
	spec.name = r.text("name");
	spec.minRole = r.enumeration("minRole", spec.minRole, static_cast<int>(sdk::Role::Admin));
	spec.summary = r.text("summary");
	auto params = r.list("params");
	for (std::size_t i = 0; i < params->size(); ++i)
		spec.params.push_back(paramSpecFromRecord(params->getObject(static_cast<unsigned>(i))));
	spec.resultSummary = r.text("resultSummary");
	spec.allowExtraParams = r.flag("allowExtraParams", spec.allowExtraParams);
	spec.nonBlocking = r.flag("nonBlocking", spec.nonBlocking);
	return spec;
}

sdk::HttpRoute httpRouteFromRecord(const Poco::JSON::Object::Ptr& record)
{
	RecordReader r(record, "http route");
	sdk::HttpRoute route;
	route.method = r.text("method", route.method);
	route.pathPrefix = r.text("pathPrefix");
	route.minRole = r.enumeration("minRole", route.minRole, static_cast<int>(sdk::Role::Admin));
	route.authOptional = r.flag("authOptional", route.authOptional);
	return route;
}

sdk::Identity identityFromRecord(const Poco::JSON::Object::Ptr& record)
{
	RecordReader r(record, "identity");
	sdk::Identity identity;
	identity.userId = r.text("userId");
	identity.role = r.enumeration("role", identity.role, static_cast<int>(sdk::Role::Admin));
	identity.expiresAt = Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(r.number("expiresAt", 0)));
	identity.method = r.text("method");
	return identity;
}

} // namespace camsvc::core
