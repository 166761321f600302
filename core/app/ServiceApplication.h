//
// ServiceApplication.h
//
// The camera-service process: options and configuration, logging, the
// plugin host, the transport, and an orderly shutdown on SIGTERM/SIGINT.
//

#ifndef CAMSVC_CORE_SERVICEAPPLICATION_H
#define CAMSVC_CORE_SERVICEAPPLICATION_H

#include <Poco/Util/ServerApplication.h>

namespace camsvc {
namespace core {

class ServiceApplication: public Poco::Util::ServerApplication
{
protected:
	void initialize(Poco::Util::Application& self) override;
	void defineOptions(Poco::Util::OptionSet& options) override;
	int main(const std::vector<std::string>& args) override;

private:
	int prepareProcess(std::string& stateDir);
		/// Signal mask, logging, umask, file limit and the state directory; EXIT_OK or the exit code.
	void runUntilStopped();
		/// Blocks until SIGTERM, SIGINT or SIGQUIT.
	void handleHelp(const std::string& name, const std::string& value);
	void handleConfig(const std::string& name, const std::string& value);
	void handleDefine(const std::string& name, const std::string& value);

	bool _helpRequested = false;
	std::string _configFile;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICEAPPLICATION_H
