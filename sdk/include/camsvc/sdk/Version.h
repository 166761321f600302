//
// Version.h
//
// SDK version constants and the ABI fingerprint a plugin is checked against.
//
// Rules (semantic versioning): the host loads a plugin built with the same
// SDK major and a minor not newer than its own. How the SDK grows within a
// major without breaking plugins built before: sdk/README.md "ABI rules".
//

#ifndef CAMSVC_SDK_VERSION_H
#define CAMSVC_SDK_VERSION_H

#include <Poco/Version.h>
extern "C" {
#include <libavcodec/version.h>
#include <libavutil/version.h>
}

#define CAMSVC_SDK_VERSION_MAJOR 2
#define CAMSVC_SDK_VERSION_MINOR 0

#define CAMSVC_SDK_STRINGIFY2(x) #x
#define CAMSVC_SDK_STRINGIFY(x) CAMSVC_SDK_STRINGIFY2(x)

// The C++ ABI a plugin was compiled against. Plugins exchange C++ objects
// (std::string, std::function, Poco::JSON) and FFmpeg structs (AVPacket,
// AVFrame, AVCodecParameters in CameraService.h) with the host, so compiler
// family, libstdc++ dual ABI, Poco version and the FFmpeg libraries' major
// versions (libavcodec, libavutil: their ABI) must all match exactly.
#if defined(__clang__)
#define CAMSVC_SDK_COMPILER "clang-" CAMSVC_SDK_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define CAMSVC_SDK_COMPILER "gcc-" CAMSVC_SDK_STRINGIFY(__GNUC__)
#else
#define CAMSVC_SDK_COMPILER "unknown"
#endif

#if defined(_GLIBCXX_USE_CXX11_ABI)
#define CAMSVC_SDK_CXXABI "cxx11abi-" CAMSVC_SDK_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define CAMSVC_SDK_CXXABI "cxxabi-default"
#endif

#define CAMSVC_SDK_ABI_FINGERPRINT \
	CAMSVC_SDK_COMPILER "|" CAMSVC_SDK_CXXABI "|poco-" CAMSVC_SDK_STRINGIFY(POCO_VERSION) \
	"|avcodec-" CAMSVC_SDK_STRINGIFY(LIBAVCODEC_VERSION_MAJOR) "|avutil-" CAMSVC_SDK_STRINGIFY(LIBAVUTIL_VERSION_MAJOR)

#endif // CAMSVC_SDK_VERSION_H
