//
// DeviceSpec.cpp
//

#include "DeviceSpec.h"
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <algorithm>
#include <linux/videodev2.h>

namespace camsvc::fakev4l2 {

bool FormatSpec::compressed() const
{
	return fourcc == V4L2_PIX_FMT_MJPEG || fourcc == V4L2_PIX_FMT_H264;
}

const char* FormatSpec::description() const
{
	switch (fourcc)
	{
	case V4L2_PIX_FMT_YUYV: return "YUYV 4:2:2";
	case V4L2_PIX_FMT_MJPEG: return "Motion-JPEG";
	case V4L2_PIX_FMT_H264: return "H.264";
	default: return "";
	}
}

std::uint32_t fourccCode(const std::string& name)
{
	if (name == "YUYV") return V4L2_PIX_FMT_YUYV;
	if (name == "MJPG") return V4L2_PIX_FMT_MJPEG;
	if (name == "H264") return V4L2_PIX_FMT_H264;
	return 0;
}

bool parseDeviceSpec(const std::string& json, DeviceSpec& spec, std::string& error)
{
	try
	{
		Poco::JSON::Parser parser;
		auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
		spec = DeviceSpec();
		spec.driver = root->optValue<std::string>("driver", spec.driver);
		spec.card = root->optValue<std::string>("card", spec.card);
		spec.busInfo = root->optValue<std::string>("bus_info", spec.busInfo);
		spec.metadata = root->optValue<bool>("metadata", false);
		auto formats = root->getArray("formats");
		for (std::size_t i = 0; formats && i < formats->size(); ++i)
		{
			auto f = formats->getObject(static_cast<unsigned>(i));
			FormatSpec format;
			std::string name = f->getValue<std::string>("fourcc");
			if (!(format.fourcc = fourccCode(name)))
				return error = "unsupported fourcc " + name, false;
			auto sizes = f->getArray("sizes");
			for (std::size_t s = 0; sizes && s < sizes->size(); ++s)
			{
				std::string text = sizes->getElement<std::string>(static_cast<unsigned>(s));
				auto x = text.find('x');
				unsigned w = 0, h = 0;
				if (x == std::string::npos || !Poco::NumberParser::tryParseUnsigned(text.substr(0, x), w)
					|| !Poco::NumberParser::tryParseUnsigned(text.substr(x + 1), h) || w < 16 || h < 16 || w > 4096 || h > 4096 || w % 2)
					return error = "bad size " + text, false;
				format.sizes.emplace_back(w, h);
			}
			auto rates = f->getArray("fps");
			for (std::size_t r = 0; rates && r < rates->size(); ++r)
			{
				double fps = rates->getElement<double>(static_cast<unsigned>(r));
				if (fps <= 0 || fps > 240)
					return error = "bad fps", false;
				format.intervals.push_back(static_cast<std::uint32_t>(10000000.0 / fps + 0.5));
			}
			if (format.sizes.empty() || format.intervals.empty())
				return error = name + " needs sizes and fps", false;
			std::sort(format.intervals.begin(), format.intervals.end());
			spec.formats.push_back(std::move(format));
		}
		if (!spec.metadata && spec.formats.empty())
			return error = "a capture node needs formats", false;
		return true;
	}
	catch (const Poco::Exception& e)
	{
		error = e.displayText();
		return false;
	}
	catch (const std::exception& e)
	{
		error = e.what();
		return false;
	}
}

} // namespace camsvc::fakev4l2
