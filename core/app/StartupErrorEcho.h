//
// StartupErrorEcho.h
//
// While the service starts, its error and fatal lines also go to standard
// error when logging.file sends the log to a file: whoever started it (a
// shell, the process waiting for --daemon) sees why a start failed, not just
// its exit code.
//

#ifndef CAMSVC_CORE_STARTUPERRORECHO_H
#define CAMSVC_CORE_STARTUPERRORECHO_H

#include <Poco/Channel.h>

namespace camsvc::core {

class StartupErrorEcho
{
public:
	StartupErrorEcho() = default;
	~StartupErrorEcho() { stop(); }

	StartupErrorEcho(const StartupErrorEcho&) = delete;
	StartupErrorEcho& operator=(const StartupErrorEcho&) = delete;

	void start();
		/// Every logger (the root's channel, as set up by setupLogging()) also
		/// writes its errors to standard error as "camera-service: <text>".

	void stop();
		/// The channel as it was before start().

private:
	Poco::Channel::Ptr _original;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_STARTUPERRORECHO_H
