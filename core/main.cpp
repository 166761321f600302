#include <iostream>
#include "app/ServiceApplication.h"

POCO_SERVER_MAIN(camsvc::core::ServiceApplication)
