//
// ServiceConfig.cpp
//

#include "config/ServiceConfig.h"
#include <Poco/JSON/Stringifier.h>
#include <iostream>
#include <set>

namespace camsvc {
namespace core {

ServiceConfig::ServiceConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath, std::map<std::string, std::string> defines):
	_values(values),
	_filePath(std::move(filePath)),
	_defines(std::move(defines))
{
}

EffectiveConfig ServiceConfig::effective(const Poco::Util::AbstractConfiguration& values) const
{
	std::set<std::string> defined;
	for (const auto& [key, value]: _defines)
		defined.insert(key);
	return EffectiveConfig(values, _filePath, _filePath.empty() ? std::map<std::string, int>() : propertiesKeyLines(_filePath), defined);
}

void ServiceConfig::report(const ConfigFindings& findings, Poco::Logger& log, bool alsoStderr)
{
	for (const auto& line: findings.warnings)
	{
		log.warning(line);
		if (alsoStderr)
			std::cerr << line << std::endl;
	}
	for (const auto& line: findings.problems)
	{
		log.fatal(line);
		if (alsoStderr)
			std::cerr << line << std::endl;
	}
}

bool ServiceConfig::check(Poco::Logger& log) const
{
	ConfigFindings findings = validateConfig(_table, effective(_values));
	report(findings, log, !_values.getString("logging.file", "").empty());
	return findings.ok();
}

void ServiceConfig::printEffective(std::ostream& out) const
{
	EffectiveConfig config = effective(_values);
	auto print = [&](const DeclaredKey* key, const std::string& name, const std::string& value) {
		out << name << " = " << shownValue(key, value) << "  # " << config.origin(name) << '\n';
	};
	std::vector<std::string> set = config.setKeys();
	for (const auto& key: _table.keys())
	{
		if (!key.prefix)
		{
			print(&key, key.name, config.value(key));
			continue;
		}
		for (const auto& name: set)
			if (_table.familyOf(name) == &key && !_table.find(name))
				print(&key, name, config.value(name));
	}
}

void ServiceConfig::printDeclarations(std::ostream& out) const
{
	Poco::JSON::Stringifier::stringify(_table.toJson(), out, 1);
	out << '\n';
}

} } // namespace camsvc::core
