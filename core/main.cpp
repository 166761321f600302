#include "app/ServiceApplication.h"

// Not POCO_SERVER_MAIN: ServerApplication::run() daemonizes before the options are read (see ServiceApplication.h).
POCO_APP_MAIN(camsvc::core::ServiceApplication)
