//
// StartupErrorEcho.cpp
//

#include "app/StartupErrorEcho.h"
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SplitterChannel.h>
#include <iostream>

namespace camsvc::core {

namespace {

class ErrorsOnly: public Poco::Channel
	/// Passes on error, critical and fatal messages only.
{
public:
	explicit ErrorsOnly(Poco::Channel::Ptr target): _target(std::move(target))
	{
	}

	void log(const Poco::Message& message) override
	{
		if (message.getPriority() <= Poco::Message::PRIO_ERROR)
			_target->log(message);
	}

private:
	Poco::Channel::Ptr _target;
};

} // namespace

void StartupErrorEcho::start()
{
	if (_original)
		return;
	_original = Poco::Logger::root().getChannel();
	Poco::AutoPtr<Poco::FormattingChannel> toStderr(new Poco::FormattingChannel(
		new Poco::PatternFormatter("camera-service: %t"), new Poco::ConsoleChannel(std::cerr)));
	Poco::AutoPtr<Poco::SplitterChannel> both(new Poco::SplitterChannel);
	if (_original)
		both->addChannel(_original);
	both->addChannel(new ErrorsOnly(toStderr));
	Poco::Logger::setChannel("", both);
}

void StartupErrorEcho::stop()
{
	if (!_original)
		return;
	Poco::Logger::setChannel("", _original);
	_original.reset();
}

} // namespace camsvc::core
