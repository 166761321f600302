//
// EffectiveConfig.cpp
//

#include "config/EffectiveConfig.h"
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <fstream>

namespace camsvc::core {

std::map<std::string, int> propertiesKeyLines(const std::string& path)
{
	std::ifstream in(path);
	if (!in)
		throw Poco::FileException("cannot read configuration file", path);
	std::map<std::string, int> lines;
	std::string line;
	bool continued = false;
	for (int number = 1; std::getline(in, line); ++number)
	{
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		bool continues = !line.empty() && line.back() == '\\';
		if (continued)
		{
			continued = continues;
			continue;
		}
		continued = continues;
		std::string text = Poco::trimLeft(line);
		if (text.empty() || text[0] == '#' || text[0] == '!')
			continue;
		std::string key = Poco::trim(text.substr(0, text.find_first_of("=:")));
		if (!key.empty())
			lines[key] = number;
	}
	return lines;
}

EffectiveConfig::EffectiveConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath,
	std::map<std::string, int> fileLines, std::set<std::string> defined):
	_values(values),
	_filePath(std::move(filePath)),
	_fileLines(std::move(fileLines)),
	_defined(std::move(defined))
{
}

bool EffectiveConfig::isSet(const std::string& key) const
{
	return _defined.count(key) || _fileLines.count(key);
}

std::string EffectiveConfig::origin(const std::string& key) const
{
	if (_defined.count(key))
		return "--define";
	auto it = _fileLines.find(key);
	if (it != _fileLines.end())
		return _filePath + ":" + std::to_string(it->second);
	return "default";
}

std::string EffectiveConfig::value(const std::string& key) const
{
	try
	{
		return _values.getString(key, "");
	}
	catch (const Poco::Exception&)
	{
		return _values.getRawString(key, ""); // a ${...} that does not resolve: checked as written
	}
}

std::string EffectiveConfig::value(const DeclaredKey& key) const
{
	if (isSet(key.name))
		return value(key.name);
	try
	{
		return _values.expand(key.defaultValue);
	}
	catch (const Poco::Exception&)
	{
		return key.defaultValue;
	}
}

std::vector<std::string> EffectiveConfig::setKeys() const
{
	std::set<std::string> all(_defined);
	for (const auto& [key, line]: _fileLines)
		all.insert(key);
	return {all.begin(), all.end()};
}

} // namespace camsvc::core
