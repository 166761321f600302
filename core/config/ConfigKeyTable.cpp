//
// ConfigKeyTable.cpp
//

#include "config/ConfigKeyTable.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace camsvc::core {

namespace {

sdk::ConfigType typeNamed(const std::string& name)
{
	for (auto t: {sdk::ConfigType::String, sdk::ConfigType::Integer, sdk::ConfigType::Number, sdk::ConfigType::Boolean,
		sdk::ConfigType::List, sdk::ConfigType::Path})
		if (name == sdk::configTypeName(t))
			return t;
	throw std::invalid_argument("unknown type \"" + name + "\"");
}

std::string number(double d)
	/// 51, 0.5, 1e+300 written as a person would.
{
	if (std::fabs(d) < 1e15 && d == std::floor(d))
		return std::to_string(static_cast<long long>(d));
	std::ostringstream s;
	s << d;
	return s.str();
}

std::string bounds(const DeclaredKey& key)
	/// " 0–51", " >= 1", " <= 10" or "".
{
	bool low = key.minimum > -1e300, high = key.maximum < 1e300;
	if (low && high)
		return " " + number(key.minimum) + "\u2013" + number(key.maximum);
	if (low)
		return " >= " + number(key.minimum);
	if (high)
		return " <= " + number(key.maximum);
	return "";
}

std::string joined(const std::vector<std::string>& words)
{
	std::string s;
	for (const auto& w: words)
		s += (s.empty() ? "" : ", ") + w;
	return s;
}

bool isBoolean(const std::string& v)
{
	static const char* words[] = {"true", "false", "yes", "no", "on", "off", "1", "0"};
	for (const char* w: words)
		if (Poco::icompare(v, w) == 0)
			return true;
	return false;
}

bool isDecimalInteger(const std::string& v, Poco::Int64& out)
{
	std::size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
	if (i == v.size())
		return false;
	for (std::size_t j = i; j < v.size(); ++j)
		if (v[j] < '0' || v[j] > '9')
			return false;
	return Poco::NumberParser::tryParse64(v, out);
}

} // namespace

std::size_t editDistance(const std::string& a, const std::string& b)
{
	std::vector<std::size_t> row(b.size() + 1);
	for (std::size_t j = 0; j <= b.size(); ++j)
		row[j] = j;
	for (std::size_t i = 1; i <= a.size(); ++i)
	{
		std::size_t diagonal = row[0];
		row[0] = i;
		for (std::size_t j = 1; j <= b.size(); ++j)
		{
			std::size_t above = row[j];
			row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
			diagonal = above;
		}
	}
	return row[b.size()];
}

void ConfigKeyTable::declareRecord(const Poco::JSON::Object::Ptr& record)
{
	if (!record)
		throw std::invalid_argument("config key record is null");
	DeclaredKey key;
	key.owner = _owner;
	try
	{
		key.name = record->getValue<std::string>("name");
		if (record->has("type"))
			key.type = typeNamed(record->getValue<std::string>("type"));
		key.defaultValue = record->optValue<std::string>("default", "");
		key.summary = record->optValue<std::string>("summary", "");
		key.minimum = record->optValue<double>("minimum", key.minimum);
		key.maximum = record->optValue<double>("maximum", key.maximum);
		key.maxLength = static_cast<std::size_t>(record->optValue<Poco::UInt64>("maxLength", 0));
		if (auto choices = record->getArray("choices"))
			for (std::size_t i = 0; i < choices->size(); ++i)
				key.choices.push_back(choices->getElement<std::string>(static_cast<unsigned>(i)));
		key.secret = record->optValue<bool>("secret", false);
		key.reloadable = record->optValue<bool>("reloadable", false);
		key.prefix = record->optValue<bool>("prefix", false);
	}
	catch (const std::invalid_argument&)
	{
		throw;
	}
	catch (const std::exception& e)
	{
		throw std::invalid_argument(std::string("malformed config key record: ") + e.what());
	}
	if (key.name.empty() || key.name.front() == '.' || key.name.find(' ') != std::string::npos)
		throw std::invalid_argument("config key name \"" + key.name + "\" is not a key");
	if (key.prefix && key.name.back() == '.')
		key.name.pop_back(); // "cameras.sources." and "cameras.sources" mean the same family
	if (auto* other = find(key.name))
		throw std::invalid_argument("config key " + key.name + " is already declared by " + other->owner);
	_byName[key.name] = _keys.size();
	_keys.push_back(std::move(key));
}

void ConfigKeyTable::addCheck(const std::string& name, Check check)
{
	_checks[name].push_back(std::move(check));
}

const DeclaredKey* ConfigKeyTable::find(const std::string& name) const
{
	auto it = _byName.find(name);
	return it == _byName.end() ? nullptr : &_keys[it->second];
}

const DeclaredKey* ConfigKeyTable::familyOf(const std::string& name) const
{
	for (const auto& k: _keys)
		if (k.prefix && name.size() > k.name.size() && name.compare(0, k.name.size(), k.name) == 0 && name[k.name.size()] == '.')
			return &k;
	return nullptr;
}

bool ConfigKeyTable::underKnownPrefix(const std::string& name) const
{
	std::string first = name.substr(0, name.find('.'));
	for (const auto& k: _keys)
		if (k.name.compare(0, first.size(), first) == 0 && (k.name.size() == first.size() || k.name[first.size()] == '.'))
			return true;
	return false;
}

std::string ConfigKeyTable::nearest(const std::string& name) const
{
	std::string best;
	std::size_t bestDistance = std::string::npos;
	for (const auto& k: _keys)
	{
		if (k.prefix)
			continue;
		std::size_t d = editDistance(name, k.name);
		if (d < bestDistance)
		{
			bestDistance = d;
			best = k.name;
		}
	}
	return best;
}

std::string ConfigKeyTable::checkValue(const DeclaredKey& key, const std::string& raw) const
{
	std::string value = Poco::trim(raw);
	std::string expected;
	switch (key.type)
	{
	case sdk::ConfigType::Integer:
	{
		Poco::Int64 n = 0;
		if (!isDecimalInteger(value, n) || static_cast<double>(n) < key.minimum || static_cast<double>(n) > key.maximum)
			expected = "an integer" + bounds(key);
		break;
	}
	case sdk::ConfigType::Number:
	{
		double d = 0;
		if (value.empty() || !Poco::NumberParser::tryParseFloat(value, d) || !std::isfinite(d) || d < key.minimum || d > key.maximum)
			expected = "a number" + bounds(key);
		break;
	}
	case sdk::ConfigType::Boolean:
		if (!isBoolean(value))
			expected = "true or false";
		break;
	case sdk::ConfigType::List:
		if (!key.choices.empty())
		{
			Poco::StringTokenizer items(value, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
			for (const auto& item: items)
				if (std::find(key.choices.begin(), key.choices.end(), item) == key.choices.end())
					expected = "a comma-separated list of " + joined(key.choices);
		}
		break;
	default:
		if (!key.choices.empty() && std::find(key.choices.begin(), key.choices.end(), value) == key.choices.end())
			expected = "one of " + joined(key.choices);
		else if (key.maxLength && raw.size() > key.maxLength)
			expected = "at most " + std::to_string(key.maxLength) + " characters";
		break;
	}
	if (!expected.empty())
		return expected;
	auto checks = _checks.find(key.name);
	if (checks != _checks.end())
		for (const auto& check: checks->second)
			if (std::string e = check(value); !e.empty())
				return e;
	return "";
}

Poco::JSON::Array::Ptr ConfigKeyTable::toJson() const
{
	Poco::JSON::Array::Ptr all = new Poco::JSON::Array;
	for (const auto& k: _keys)
	{
		Poco::JSON::Object::Ptr r = k.record();
		r->set("owner", k.owner);
		all->add(r);
	}
	return all;
}

} // namespace camsvc::core
