//
// ServiceApplication.h
//
// The camera-service process: options and configuration, logging, the
// plugin host, the transport, a reload on SIGHUP and an orderly shutdown on
// SIGTERM/SIGINT.
//

#ifndef CAMSVC_CORE_SERVICEAPPLICATION_H
#define CAMSVC_CORE_SERVICEAPPLICATION_H

#include "config/SwappableConfiguration.h"
#include <Poco/Util/ServerApplication.h>
#include <map>

namespace camsvc {
namespace core {

class ServiceApplication: public Poco::Util::ServerApplication
{
protected:
	void initialize(Poco::Util::Application& self) override;
	void defineOptions(Poco::Util::OptionSet& options) override;
	int main(const std::vector<std::string>& args) override;

private:
	void handleHelp(const std::string& name, const std::string& value);
	void handleConfig(const std::string& name, const std::string& value);
	void handleDefine(const std::string& name, const std::string& value);
	void handleCheckConfig(const std::string& name, const std::string& value);
	void handlePrintDeclarations(const std::string& name, const std::string& value);

	bool _helpRequested = false;
	bool _checkConfig = false;        // --check-config: validate, print, exit
	bool _printDeclarations = false;  // --print-declarations (hidden): the declarations as JSON
	std::string _configFile;
	SwappableConfiguration::Ptr _fileLayer; // the file's keys; a reload (SIGHUP) swaps them
	std::map<std::string, std::string> _defines; // --define key=value, in the order of the command line's last word

};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICEAPPLICATION_H
