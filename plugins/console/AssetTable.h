//
// AssetTable.h
//
// The console's static files by URL path: "/" is the single page
// (index.html), "/console/<name>" every other asset. Each has its content
// type, bytes and a strong ETag, so a transport only has to compare
// If-None-Match and send the bytes. Independent of the HTTP server.
//

#ifndef CAMSVC_CONSOLE_ASSETTABLE_H
#define CAMSVC_CONSOLE_ASSETTABLE_H

#include "EmbeddedAssets.h"
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace camsvc::console {

struct Asset
{
	std::string_view contentType;
	std::string_view body;
	std::string_view etag;
};

class AssetTable
{
public:
	explicit AssetTable(std::span<const EmbeddedAsset> files,
		const std::map<std::string, std::string>& pageSettings = {});
		/// pageSettings: "%KEY%" placeholders in index.html replaced by their
		/// values once, here (e.g. the WebSocket path from the configuration).

	std::optional<Asset> find(std::string_view urlPath) const;
		/// The asset served at urlPath (no query string), or nothing.

	static std::string_view contentTypeOf(std::string_view fileName);
		/// By extension; application/octet-stream for unknown ones.

	static bool notModified(std::string_view ifNoneMatch, std::string_view etag);
		/// If-None-Match (a list of ETags, or "*") matches etag.

private:
	struct Entry
	{
		std::string body;
		std::string etag;
		std::string_view contentType;
	};
	std::map<std::string, Entry, std::less<>> _entries; // by URL path
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_ASSETTABLE_H
