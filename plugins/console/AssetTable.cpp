#include "AssetTable.h"
#include <Poco/String.h>
#include <functional>

namespace camsvc::console {

namespace {

constexpr std::string_view PagePath = "/index.html";
constexpr std::string_view AssetPrefix = "/console";

std::string substituted(std::string text, const std::map<std::string, std::string>& settings)
{
	for (const auto& [key, value]: settings)
		Poco::replaceInPlace(text, "%" + key + "%", value);
	return text;
}

} // namespace

AssetTable::AssetTable(std::span<const EmbeddedAsset> files, const std::map<std::string, std::string>& pageSettings)
{
	for (const auto& f: files)
	{
		Entry e;
		e.body.assign(reinterpret_cast<const char*>(f.data), f.size);
		e.etag = f.etag;
		e.contentType = contentTypeOf(f.path);
		std::string url;
		if (f.path == PagePath)
		{
			url = "/";
			if (!pageSettings.empty())
			{
				e.body = substituted(std::move(e.body), pageSettings);
				// The settings are part of the page: another value, another ETag.
				std::string tag = e.etag.substr(1, e.etag.size() - 2) + "-" + std::to_string(std::hash<std::string>()(e.body) & 0xffffffff);
				e.etag = "\"" + tag + "\"";
			}
		}
		else
			url = std::string(AssetPrefix) + f.path;
		_entries[url] = std::move(e);
	}
}

std::optional<Asset> AssetTable::find(std::string_view urlPath) const
{
	auto it = _entries.find(urlPath);
	if (it == _entries.end())
		return std::nullopt;
	return Asset{it->second.contentType, it->second.body, it->second.etag};
}

std::string_view AssetTable::contentTypeOf(std::string_view fileName)
{
	static const std::map<std::string_view, std::string_view> types = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".json", "application/json"},
		{".webmanifest", "application/manifest+json"},
	};
	auto dot = fileName.rfind('.');
	if (dot != std::string_view::npos)
		if (auto it = types.find(fileName.substr(dot)); it != types.end())
			return it->second;
	return "application/octet-stream";
}

bool AssetTable::notModified(std::string_view ifNoneMatch, std::string_view etag)
{
	if (ifNoneMatch.empty())
		return false;
	if (Poco::trim(std::string(ifNoneMatch)) == "*")
		return true;
	std::size_t start = 0;
	while (start < ifNoneMatch.size())
	{
		std::size_t comma = ifNoneMatch.find(',', start);
		std::string tag = Poco::trim(std::string(ifNoneMatch.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
		if (tag.rfind("W/", 0) == 0)
			tag = tag.substr(2); // weak comparison, as RFC 9110 asks for If-None-Match
		if (tag == etag)
			return true;
		if (comma == std::string_view::npos)
			break;
		start = comma + 1;
	}
	return false;
}

} // namespace camsvc::console
