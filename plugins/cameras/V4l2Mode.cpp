//
// V4l2Mode.cpp
//

#include "V4l2Mode.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <algorithm>
#include <cmath>

namespace camsvc::cameras {

namespace {

std::string normalize(const std::string& format)
	/// Any spelling a user may configure, as the fourcc the driver reports.
{
	std::string f = Poco::toUpper(format);
	if (f == "MJPEG" || f == "MJPG")
		return "MJPG";
	if (f == "YUYV422" || f == "YUYV")
		return "YUYV";
	if (f == "H.264")
		return "H264";
	return f;
}

int preference(const std::string& fourcc, long long area)
{
	if (fourcc == "H264")
		return 0;
	bool high = area > 640LL * 480;
	if (fourcc == "MJPG")
		return high ? 1 : 2;
	if (fourcc == "YUYV")
		return high ? 2 : 1;
	return 3;
}

const std::vector<double>* ratesFor(const V4l2Format& format, int w, int h)
{
	for (std::size_t i = 0; i < format.sizes.size() && i < format.rates.size(); ++i)
		if (format.sizes[i].first == w && format.sizes[i].second == h)
			return &format.rates[i];
	return nullptr;
}

} // namespace

std::string V4l2Mode::inputFormat() const
{
	if (fourcc == "MJPG") return "mjpeg";
	if (fourcc == "H264") return "h264";
	if (fourcc == "YUYV") return "yuyv422";
	if (fourcc == "NV12") return "nv12";
	if (fourcc == "YU12") return "yuv420p";
	return "";
}

std::optional<V4l2Mode> chooseV4l2Mode(const V4l2Capabilities& caps, const std::string& size, const std::string& rate,
	const std::string& format)
{
	std::vector<const V4l2Format*> candidates;
	std::string wanted = normalize(format);
	for (const auto& f: caps.formats)
		if (!wanted.empty() && f.fourcc == wanted)
			candidates.push_back(&f);
	if (candidates.empty())
		for (const auto& f: caps.formats)
			if (!V4l2Mode{f.fourcc}.inputFormat().empty() || f.fourcc == "H264")
				candidates.push_back(&f);
	if (candidates.empty())
		return std::nullopt;

	int w = 0, h = 0;
	auto x = size.find('x');
	if (x == std::string::npos || !Poco::NumberParser::tryParse(size.substr(0, x), w) || !Poco::NumberParser::tryParse(size.substr(x + 1), h))
		w = h = 0;
	if (!w)
		for (const auto* f: candidates)
			for (const auto& [sw, sh]: f->sizes)
				if (static_cast<long long>(sw) * sh > static_cast<long long>(w) * h)
					w = sw, h = sh;

	const V4l2Format* best = nullptr;
	long long area = static_cast<long long>(w) * h;
	for (bool needSize: {true, false})
	{
		for (const auto* f: candidates)
			if ((!needSize || ratesFor(*f, w, h)) && (!best || preference(f->fourcc, area) < preference(best->fourcc, area)))
				best = f;
		if (best)
			break;
	}

	V4l2Mode mode;
	mode.fourcc = best->fourcc;
	mode.width = w;
	mode.height = h;
	const std::vector<double>* rates = ratesFor(*best, w, h);
	double asked = 0;
	if (!rate.empty() && Poco::NumberParser::tryParseFloat(rate, asked) && asked > 0)
	{
		mode.fps = asked;
		if (rates && !rates->empty())
			mode.fps = *std::min_element(rates->begin(), rates->end(), [&](double a, double b) { return std::fabs(a - asked) < std::fabs(b - asked); });
	}
	else if (rates && !rates->empty())
		mode.fps = *std::max_element(rates->begin(), rates->end());
	return mode;
}

} // namespace camsvc::cameras
