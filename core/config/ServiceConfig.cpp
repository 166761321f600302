//
// ServiceConfig.cpp
//

#include "config/ServiceConfig.h"
#include "app/StartPaths.h"
#include <Poco/JSON/Stringifier.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/SystemConfiguration.h>
#include <iostream>
#include <set>

namespace camsvc::core {

ServiceConfig::ServiceConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath, std::string shownPath,
	std::map<std::string, std::string> defines, std::string startDirectory):
	_values(values),
	_filePath(std::move(filePath)),
	_shownPath(std::move(shownPath)),
	_defines(std::move(defines)),
	_startDirectory(std::move(startDirectory)),
	_fileLines(_filePath.empty() ? std::map<std::string, int>() : propertiesKeyLines(_filePath))
{
}

EffectiveConfig ServiceConfig::effective(const Poco::Util::AbstractConfiguration& values) const
{
	std::set<std::string> defined;
	for (const auto& [key, value]: _defines)
		defined.insert(key);
	return EffectiveConfig(values, _shownPath, _fileLines, defined);
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
		log.fatal(line); // with logging.file, StartupErrorEcho shows fatal lines on standard error too
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

namespace {

void copyTree(const Poco::Util::AbstractConfiguration& from, const std::string& key, Poco::Util::AbstractConfiguration& to)
{
	if (from.has(key))
		to.setString(key, from.getRawString(key));
	Poco::Util::AbstractConfiguration::Keys children;
	from.keys(key, children);
	for (const auto& child: children)
		copyTree(from, key + "." + child, to);
}

std::map<std::string, std::string> effectiveValues(const ConfigKeyTable& table, const EffectiveConfig& config, const std::string& base)
	/// Every declared key's value (paths made absolute, as at start), and every set member of a family.
{
	std::map<std::string, std::string> values;
	for (const auto& key: table.keys())
		if (!key.prefix)
			values[key.name] = key.type == sdk::ConfigType::Path ? absolutePath(config.value(key), base) : config.value(key);
	for (const auto& name: config.setKeys())
		if (!table.find(name) && table.familyOf(name))
			values[name] = config.value(name);
	return values;
}

} // namespace

ServiceConfig::ReloadResult ServiceConfig::reload(SwappableConfiguration* file, Poco::Logger& log)
{
	ReloadResult result;
	if (!file || _filePath.empty())
	{
		log.warning("reload: no configuration file (--config) to re-read; nothing changed");
		return result;
	}
	SwappableConfiguration::Layer fresh;
	Poco::AutoPtr<Poco::Util::LayeredConfiguration> candidate = new Poco::Util::LayeredConfiguration;
	std::map<std::string, int> lines;
	try
	{
		fresh = new Poco::Util::PropertyFileConfiguration(_filePath);
		lines = propertiesKeyLines(_filePath);
	}
	catch (const Poco::Exception& e)
	{
		log.error("reload refused: cannot read %s: %s", _filePath, e.displayText());
		return result;
	}
	// What the running configuration has besides the file: --define and application.* (for ${application.dir}).
	Poco::AutoPtr<Poco::Util::MapConfiguration> fixed = new Poco::Util::MapConfiguration;
	copyTree(_values, "application", *fixed);
	std::set<std::string> defined;
	for (const auto& [key, value]: _defines)
	{
		fixed->setString(key, value);
		defined.insert(key);
	}
	candidate->add(fixed, Poco::Util::Application::PRIO_APPLICATION, false);
	candidate->add(fresh, Poco::Util::Application::PRIO_DEFAULT, false);
	candidate->add(new Poco::Util::SystemConfiguration, Poco::Util::Application::PRIO_SYSTEM, false);

	EffectiveConfig next(*candidate, _shownPath, lines, defined);
	ConfigFindings findings = validateConfig(_table, next);
	for (const auto& line: findings.warnings)
		log.warning(line);
	if (!findings.ok())
	{
		for (const auto& line: findings.problems)
			log.error(line);
		log.error("reload refused: %s has %z problem(s); the running configuration is unchanged", _shownPath, findings.problems.size());
		return result;
	}
	auto before = effectiveValues(_table, effective(_values), _startDirectory);
	auto after = effectiveValues(_table, next, _startDirectory);
	file->swap(fresh);
	_fileLines = std::move(lines);
	result.applied = true;
	std::set<std::string> names;
	for (const auto& [k, v]: before)
		names.insert(k);
	for (const auto& [k, v]: after)
		names.insert(k);
	for (const auto& name: names)
	{
		if (before[name] == after[name])
			continue;
		result.changed.push_back(name);
		const DeclaredKey* key = _table.find(name);
		if (!key)
			key = _table.familyOf(name);
		if (key && !key->reloadable)
			log.warning("%s changed: takes effect after a restart", name);
		else
			log.information("%s changed", name);
	}
	log.information("configuration reloaded from %s: %z key(s) changed", _shownPath, result.changed.size());
	return result;
}

void ServiceConfig::printDeclarations(std::ostream& out) const
{
	Poco::JSON::Stringifier::stringify(_table.toJson(), out, 1);
	out << '\n';
}

} // namespace camsvc::core
