#include "DeviceInputs.h"
#include <dlfcn.h>
#include <mutex>

extern "C" {
#include <libavdevice/version.h>
}

#define CAMSVC_STR2(x) #x
#define CAMSVC_STR(x) CAMSVC_STR2(x)

namespace camsvc::cameras {

bool ensureDeviceInputs(std::string* error)
{
	static std::once_flag once;
	static bool loaded = false;
	static std::string failure;
	std::call_once(once, [] {
		const char* library = "libavdevice.so." CAMSVC_STR(LIBAVDEVICE_VERSION_MAJOR);
		void* handle = ::dlopen(library, RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
		if (!handle)
		{
			failure = std::string("cannot load ") + library + ": " + ::dlerror();
			return;
		}
		auto registerAll = reinterpret_cast<void (*)()>(::dlsym(handle, "avdevice_register_all"));
		if (!registerAll)
		{
			failure = std::string(library) + " has no avdevice_register_all";
			return;
		}
		registerAll();
		loaded = true;
	});
	if (!loaded && error)
		*error = failure;
	return loaded;
}

} // namespace camsvc::cameras
