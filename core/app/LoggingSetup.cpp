#include "app/LoggingSetup.h"
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <iostream>

namespace camsvc::core {

namespace {

void setLevelsUnder(const Poco::Util::AbstractConfiguration& config, const std::string& logger)
	/// logging.levels.core = ..., logging.levels.core.net = ...: parents first, so children override them.
{
	std::string key = logger.empty() ? "logging.levels" : "logging.levels." + logger;
	if (!logger.empty() && config.has(key))
		Poco::Logger::setLevel(logger, Poco::Logger::parseLevel(config.getString(key)));
	Poco::Util::AbstractConfiguration::Keys children;
	config.keys(key, children);
	for (const auto& child: children)
		setLevelsUnder(config, logger.empty() ? child : logger + "." + child);
}

} // namespace

void setupLogging(const Poco::Util::AbstractConfiguration& config)
{
	Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter(
		config.getString("logging.pattern", "%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t")));
	formatter->setProperty("times", "UTC");

	Poco::AutoPtr<Poco::Channel> sink;
	std::string file = config.getString("logging.file", "");
	if (file.empty())
	{
		sink = new Poco::ConsoleChannel(std::cerr);
	}
	else
	{
		Poco::AutoPtr<Poco::FileChannel> fileChannel(new Poco::FileChannel(file));
		fileChannel->setProperty("rotation", config.getString("logging.file.rotation", "10 M"));
		fileChannel->setProperty("archive", "number");
		fileChannel->setProperty("purgeCount", config.getString("logging.file.archive_count", "5"));
		sink = fileChannel;
	}
	Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, sink));

	Poco::Logger& root = Poco::Logger::root();
	root.setChannel(channel);
	// Every logger already created (and the root, which new ones copy) gets the channel and level.
	Poco::Logger::setChannel("", channel);
	applyLogLevels(config);
}

void applyLogLevels(const Poco::Util::AbstractConfiguration& config)
{
	Poco::Logger::setLevel("", Poco::Logger::parseLevel(config.getString("logging.level", "information")));
	setLevelsUnder(config, "");
}

} // namespace camsvc::core
