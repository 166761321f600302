#include "SourceSpec.h"
#include "camsvc/sdk/Redact.h"
#include <Poco/NumberParser.h>
#include <Poco/URI.h>
#include <stdexcept>

namespace camsvc::cameras {

namespace {

bool parseSize(const std::string& size, int& width, int& height)
{
	auto x = size.find('x');
	return x != std::string::npos && Poco::NumberParser::tryParse(size.substr(0, x), width)
		&& Poco::NumberParser::tryParse(size.substr(x + 1), height) && width > 0 && height > 0 && width <= 8192 && height <= 8192;
}

void requireHost(const Poco::URI& uri, const std::string& url)
	/// "rtsp://" or "tcp://:5000" would be accepted by Poco and then fail in
	/// FFmpeg on every restart, forever.
{
	if (uri.getHost().empty())
		throw std::invalid_argument("source URL without a host: " + url);
}

} // namespace

SourceSpec parseSourceUrl(const std::string& url)
{
	// Raw control characters are not URL characters (RFC 3986: percent-
	// encode them). Refused because FFmpeg takes a C string - a NUL would cut
	// the URL it opens short of the declared one - and because Poco::URI
	// passes them through into the public id.
	for (unsigned char c: url)
		if (c < 0x20 || c == 0x7F)
			throw std::invalid_argument("control character in source URL (percent-encode it)");
	SourceSpec spec;
	if (url.rfind("testsrc://", 0) == 0)
	{
		std::string size = "1280x720", rate = "30", pattern = "testsrc2";
		for (const auto& [key, value]: Poco::URI(url).getQueryParameters())
		{
			if (key == "size") size = value;
			else if (key == "rate") rate = value;
			else if (key == "pattern") pattern = value;
			else throw std::invalid_argument("unknown testsrc parameter: " + key);
		}
		if (!parseSize(size, spec.width, spec.height))
			throw std::invalid_argument("bad testsrc size: " + size);
		if (!Poco::NumberParser::tryParseFloat(rate, spec.fps) || spec.fps <= 0 || spec.fps > 240)
			throw std::invalid_argument("bad testsrc rate: " + rate);
		if (pattern != "testsrc2" && pattern != "testsrc" && pattern != "smptebars" && pattern != "mandelbrot")
			throw std::invalid_argument("unknown testsrc pattern: " + pattern);
		spec.kind = "testsrc";
		spec.inputFormat = "lavfi";
		spec.url = pattern + "=size=" + size + ":rate=" + rate;
		spec.paced = true;
		spec.publicId = sdk::redactUrl(url);
		return spec;
	}
	if (url.rfind("rtsp://", 0) == 0 || url.rfind("rtsps://", 0) == 0)
	{
		Poco::URI uri(url);
		requireHost(uri, url);
		spec.kind = "rtsp";
		spec.url = url;
		spec.options = {{"rtsp_transport", "tcp"}, {"timeout", "5000000"}};
		spec.publicId = sdk::redactUrl(url); // credentials never leave the service
		return spec;
	}
	for (const char* scheme: {"tcp://", "udp://", "http://", "https://", "srt://", "rtmp://"})
	{
		if (url.rfind(scheme, 0) != 0)
			continue;
		// A network stream FFmpeg can read (MPEG-TS over TCP/UDP, HTTP, SRT, RTMP).
		Poco::URI uri(url);
		requireHost(uri, url);
		spec.kind = "network";
		spec.url = url;
		spec.options = {{"rw_timeout", "5000000"}};
		spec.publicId = sdk::redactUrl(url);
		return spec;
	}
	if (url.rfind("file:", 0) == 0)
	{
		spec.kind = "file";
		spec.url = url.substr(5);
		if (spec.url.rfind("//", 0) == 0)
			spec.url = spec.url.substr(2);
		if (spec.url.empty())
			throw std::invalid_argument("file: source without a path");
		spec.paced = true;
		spec.loop = true;
		spec.publicId = sdk::redactUrl(url);
		return spec;
	}
	throw std::invalid_argument("unsupported source URL (testsrc://, rtsp://, tcp://, udp://, http(s)://, srt://, rtmp://, file:): " + sdk::redactUrl(url));
}

SourceSpec v4l2Source(const std::string& devicePath, const std::string& size, const std::string& rate,
	const std::string& inputFormat)
{
	SourceSpec spec;
	spec.kind = "v4l2";
	spec.inputFormat = "video4linux2";
	spec.url = devicePath;
	spec.publicId = devicePath;
	if (!size.empty())
	{
		spec.options["video_size"] = size;
		parseSize(size, spec.width, spec.height);
	}
	if (!rate.empty())
	{
		spec.options["framerate"] = rate;
		Poco::NumberParser::tryParseFloat(rate, spec.fps);
	}
	if (!inputFormat.empty())
		spec.options["input_format"] = inputFormat;
	return spec;
}

} // namespace camsvc::cameras
