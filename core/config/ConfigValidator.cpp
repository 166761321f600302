//
// ConfigValidator.cpp
//

#include "config/ConfigValidator.h"
#include "config/CoreConfigKeys.h"

namespace camsvc::core {

std::string problemLine(const std::string& origin, const std::string& key, const std::string& value, const std::string& expected)
{
	return origin + ": " + key + " = \"" + value + "\": expected " + expected;
}

std::string shownValue(const DeclaredKey* key, const std::string& value)
{
	return key && key->secret && !value.empty() ? MaskedValue : value;
}

ConfigFindings validateConfig(const ConfigKeyTable& table, const EffectiveConfig& config)
{
	ConfigFindings findings;
	for (const auto& key: table.keys())
	{
		if (key.prefix || (!config.isSet(key.name) && key.defaultValue.empty()))
			continue; // a family is checked member by member below; an unset key without default is unset
		std::string value = config.value(key);
		std::string expected = table.checkValue(key, value);
		if (!expected.empty())
			findings.problems.push_back(problemLine(config.origin(key.name), key.name, shownValue(&key, value), expected));
	}
	for (const auto& name: config.setKeys())
	{
		if (table.find(name))
			continue;
		if (const DeclaredKey* family = table.familyOf(name))
		{
			std::string value = config.value(name);
			std::string expected = table.checkValue(*family, value);
			if (!expected.empty())
				findings.problems.push_back(problemLine(config.origin(name), name, shownValue(family, value), expected));
			continue;
		}
		if (table.underKnownPrefix(name))
			findings.warnings.push_back(config.origin(name) + ": " + name + " is not a known key: did you mean \"" + table.nearest(name) + "\"?");
	}
	for (auto& problem: coreConfigRules(config))
		findings.problems.push_back(std::move(problem));
	return findings;
}

} // namespace camsvc::core
