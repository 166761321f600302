#include "MediaNames.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>
#include <cctype>
#include <stdexcept>

namespace camsvc::storage {

std::string extensionOf(const std::string& name)
{
	auto dot = name.rfind('.');
	if (dot == std::string::npos || dot + 1 == name.size())
		return {};
	return Poco::toLower(name.substr(dot + 1));
}

bool allowedExtension(sdk::MediaKind kind, const std::string& extension)
{
	if (kind == sdk::MediaKind::Recording)
		return extension == "mp4" || extension == "mkv";
	return extension == "jpg" || extension == "jpeg" || extension == "png";
}

std::string nameProblem(sdk::MediaKind kind, const std::string& name)
{
	if (name.empty())
		return "empty";
	if (name.size() > MaxNameLength)
		return "too_long";
	for (unsigned char c: name)
	{
		if (c < 0x20 || c == 0x7f)
			return "control_character";
		if (c == '/' || c == '\\')
			return "path_separator";
	}
	if (name.find("..") != std::string::npos)
		return "dot_segment";
	if (name[0] == '.')
		return "hidden";
	if (!allowedExtension(kind, extensionOf(name)) || name.size() == extensionOf(name).size() + 1)
		return "extension_not_allowed";
	return {};
}

bool validCamera(const std::string& camera)
{
	if (camera.empty() || camera.size() > 64)
		return false;
	for (unsigned char c: camera)
		if (!std::isalnum(c) && c != '_' && c != '-')
			return false;
	return true;
}

std::string generatedStem(sdk::MediaKind kind, const std::string& camera, const Poco::Timestamp& at)
{
	const char* format = kind == sdk::MediaKind::Snapshot ? "%Y-%m-%d_%H-%M-%S-%i" : "%Y-%m-%d_%H-%M-%S";
	return camera + "_" + Poco::DateTimeFormatter::format(at, format);
}

std::string contentType(const std::string& extension)
{
	if (extension == "mp4")
		return "video/mp4";
	if (extension == "mkv")
		return "video/x-matroska";
	if (extension == "jpg" || extension == "jpeg")
		return "image/jpeg";
	if (extension == "png")
		return "image/png";
	return "application/octet-stream";
}

sdk::MediaKind kindOf(const std::string& kindName)
{
	if (kindName == "recording")
		return sdk::MediaKind::Recording;
	if (kindName == "snapshot")
		return sdk::MediaKind::Snapshot;
	throw std::invalid_argument("unknown media kind: " + kindName);
}

} // namespace camsvc::storage
