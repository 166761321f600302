//
// EmbeddedAssets.h
//
// The console's web assets compiled into the plugin (generated at build time
// from plugins/console/assets/ by EmbedAssets.cmake).
//

#ifndef CAMSVC_CONSOLE_EMBEDDEDASSETS_H
#define CAMSVC_CONSOLE_EMBEDDEDASSETS_H

#include <cstddef>
#include <span>

namespace camsvc::console {

struct EmbeddedAsset
{
	const char* path;          // "/index.html", "/app.js", ...
	const unsigned char* data;
	std::size_t size;
	const char* etag;          // quoted strong ETag: "\"0123456789abcdef\""
};

std::span<const EmbeddedAsset> embeddedAssets();
	/// Every asset, in the order CMake listed them.

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_EMBEDDEDASSETS_H
