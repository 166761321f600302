//
// LoggingSetup.h
//
// Configures Poco logging from the service's simple keys:
//   logging.level                 root level (default information)
//   logging.file                  log file; empty = console (stderr)
//   logging.file.rotation         rotate at this size (default "10 M")
//   logging.file.archive_count    rotated files kept (default 5)
//   logging.levels.<logger>       level of one logger and its children
//   logging.pattern               PatternFormatter pattern
//

#ifndef CAMSVC_CORE_LOGGINGSETUP_H
#define CAMSVC_CORE_LOGGINGSETUP_H

#include <Poco/Util/AbstractConfiguration.h>

namespace camsvc::core {

void setupLogging(const Poco::Util::AbstractConfiguration& config);

void applyLogLevels(const Poco::Util::AbstractConfiguration& config);
	/// logging.level and logging.levels.<logger> only: what a reload changes
	/// live (a logger whose key was removed falls back to the root level).

} // namespace camsvc::core

#endif // CAMSVC_CORE_LOGGINGSETUP_H
