//
// FuzzSourceSpec.cpp
//
// libFuzzer target: the properties file and the camera-source URLs declared
// in it. The input is loaded as a Poco properties file; every
// cameras.sources.<id>.url in it, and the whole input as one URL, go through
// parseSourceUrl(). A refused source may throw std::exception (the cameras
// plugin logs and skips it); an accepted one has a kind, sizes and rates in
// range, and a public id without credentials.
//

#include "SourceSpec.h"
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <cstdio>
#include <cstdlib>
#include <sstream>

using namespace camsvc::cameras;

namespace {

[[noreturn]] void bad(const char* what, const std::string& url, const std::string& publicId = "")
{
	auto escaped = [](const std::string& s) {
		std::string out;
		for (unsigned char c: s)
		{
			char hex[8];
			std::snprintf(hex, sizeof hex, c < 0x20 || c >= 0x7F ? "\\x%02x" : "%c", c);
			out += hex;
		}
		return out;
	};
	::fprintf(stderr, "source %s: %s (public id %s)\n", what, escaped(url).c_str(), escaped(publicId).c_str());
	std::abort();
}

void checkSource(const std::string& url)
{
	SourceSpec spec;
	try
	{
		spec = parseSourceUrl(url);
	}
	catch (const std::exception&)
	{
		return;
	}
	if (spec.kind.empty() || spec.url.empty() || spec.publicId.empty())
		bad("accepted without kind, url or id", url);
	if (spec.kind == "testsrc" && (spec.width < 1 || spec.width > 8192 || spec.height < 1 || spec.height > 8192
			|| !(spec.fps > 0 && spec.fps <= 240)))
		bad("test pattern size or rate out of range", url);
	if (spec.kind == "rtsp" || spec.kind == "network")
	{
		std::string userInfo;
		try
		{
			userInfo = Poco::URI(spec.publicId).getUserInfo();
		}
		catch (const std::exception&)
		{
			bad("public id is not a URI", url, spec.publicId);
		}
		if (!userInfo.empty())
			bad("public id carries credentials", url, spec.publicId);
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	const std::string input(reinterpret_cast<const char*>(data), size);
	checkSource(input);
	Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config;
	try
	{
		std::istringstream in(input);
		config = new Poco::Util::PropertyFileConfiguration(in);
	}
	catch (const std::exception&)
	{
		return 0;
	}
	Poco::Util::AbstractConfiguration::Keys ids;
	config->keys("cameras.sources", ids);
	for (const auto& id: ids)
	{
		std::string url, v4l2Size;
		try
		{
			url = config->getString("cameras.sources." + id + ".url", "");
			v4l2Size = config->getString("cameras.v4l2.size", "");
		}
		catch (const Poco::Exception&)
		{
			continue; // ${...} expansion of a malformed or circular reference: the server refuses the file
		}
		checkSource(url);
		v4l2Source("/dev/video0", v4l2Size, "", "");
	}
	return 0;
}
