//
// ServiceConfig.h
//
// The service's configuration as a whole: the declarations (core + enabled
// plugins), the file as given on the command line and the --define
// overrides. Checks it before anything starts, prints it for --check-config
// and --print-declarations.
//

#ifndef CAMSVC_CORE_SERVICECONFIG_H
#define CAMSVC_CORE_SERVICECONFIG_H

#include "config/ConfigKeyTable.h"
#include "config/ConfigValidator.h"
#include "config/EffectiveConfig.h"
#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <map>
#include <ostream>
#include <string>

namespace camsvc {
namespace core {

class ServiceConfig
{
public:
	ServiceConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath, std::map<std::string, std::string> defines);
		/// values: the application's layered configuration; filePath as
		/// given ("" = none); defines: the --define overrides.

	ConfigKeyTable& declarations() { return _table; }
	const ConfigKeyTable& declarations() const { return _table; }
	const std::string& filePath() const { return _filePath; }
	const std::map<std::string, std::string>& defines() const { return _defines; }

	EffectiveConfig effective(const Poco::Util::AbstractConfiguration& values) const;
		/// values seen through the declarations, with the file's line numbers read now.
	bool check(Poco::Logger& log) const;
		/// Validates the running configuration; logs every problem (fatal)
		/// and warning, also on standard error when the log goes to a file.
		/// False when the service must not start (exit 78).
	void printEffective(std::ostream& out) const;
		/// --check-config: every declared key (and each member of a family that
		/// is set) as `key = value  # origin`, secrets masked.
	void printDeclarations(std::ostream& out) const;
		/// --print-declarations: the declarations as a JSON array.

	static void report(const ConfigFindings& findings, Poco::Logger& log, bool alsoStderr);

private:
	const Poco::Util::AbstractConfiguration& _values;
	std::string _filePath;
	std::map<std::string, std::string> _defines;
	ConfigKeyTable _table;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICECONFIG_H
