//
// ServiceConfig.h
//
// The service's configuration as a whole: the declarations (core + enabled
// plugins), the file as given on the command line and the --define
// overrides. Checks it before anything starts, prints it for --check-config
// and --print-declarations, and reloads the file on SIGHUP: validated
// first, swapped in only when valid.
//

#ifndef CAMSVC_CORE_SERVICECONFIG_H
#define CAMSVC_CORE_SERVICECONFIG_H

#include "config/ConfigKeyTable.h"
#include "config/ConfigValidator.h"
#include "config/EffectiveConfig.h"
#include "config/SwappableConfiguration.h"
#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <map>
#include <ostream>
#include <string>

namespace camsvc::core {

class ServiceConfig
{
public:
	ServiceConfig(const Poco::Util::AbstractConfiguration& values, std::string filePath, std::string shownPath,
		std::map<std::string, std::string> defines, std::string startDirectory);
		/// values: the application's layered configuration; filePath: the
		/// file, absolute ("" = none), shownPath: as given on the command line
		/// (what problem lines name); defines: the --define overrides;
		/// startDirectory: what relative path values are relative to.

	ConfigKeyTable& declarations() { return _table; }
	const ConfigKeyTable& declarations() const { return _table; }
	const std::string& filePath() const { return _filePath; }
	const std::map<std::string, std::string>& defines() const { return _defines; }

	EffectiveConfig effective(const Poco::Util::AbstractConfiguration& values) const;
		/// values seen through the declarations, with the line numbers of the file in force.
	bool check(Poco::Logger& log) const;
		/// Validates the running configuration; logs every problem (fatal)
		/// and warning (warnings also on standard error when the log goes to
		/// a file; fatal lines are echoed there by StartupErrorEcho).
		/// False when the service must not start (exit 78).
	void printEffective(std::ostream& out) const;
		/// --check-config: every declared key (and each member of a family that
		/// is set) as `key = value  # origin`, secrets masked.
	void printDeclarations(std::ostream& out) const;
		/// --print-declarations: the declarations as a JSON array.

	struct ReloadResult
	{
		bool applied = false;              // the new file is in force
		std::vector<std::string> changed;  // keys whose effective value changed
	};
	ReloadResult reload(SwappableConfiguration* file, Poco::Logger& log);
		/// Re-reads the file (the same --define overrides stay on top) and
		/// validates it; invalid: changes nothing, logs each problem and
		/// "reload refused". Valid: swaps it in and logs each changed key that
		/// is not live ("<key> changed: takes effect after a restart").

	static void report(const ConfigFindings& findings, Poco::Logger& log, bool alsoStderr);

private:
	const Poco::Util::AbstractConfiguration& _values;
	std::string _filePath;
	std::string _shownPath;
	std::map<std::string, std::string> _defines;
	std::string _startDirectory;
	std::map<std::string, int> _fileLines; // of the file in force (read at start, replaced by a reload)
	ConfigKeyTable _table;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_SERVICECONFIG_H
