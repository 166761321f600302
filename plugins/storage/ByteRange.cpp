#include "ByteRange.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <cctype>

namespace camsvc::storage {

namespace {

bool digits(const std::string& s, std::uint64_t& value)
{
	if (s.empty() || s.size() > 19)
		return false;
	for (unsigned char c: s)
		if (!std::isdigit(c))
			return false;
	value = Poco::NumberParser::parseUnsigned64(s);
	return true;
}

} // namespace

ByteRange parseRange(const std::string& header, std::uint64_t fileSize)
{
	ByteRange whole;
	std::string h = Poco::trim(header);
	if (h.size() < 6 || Poco::icompare(h.substr(0, 6), "bytes=") != 0)
		return whole;
	std::string spec = Poco::trim(h.substr(6));
	auto dash = spec.find('-');
	if (spec.find(',') != std::string::npos || dash == std::string::npos)
		return whole;
	std::string a = Poco::trim(spec.substr(0, dash)), b = Poco::trim(spec.substr(dash + 1));
	ByteRange range;
	range.kind = ByteRange::Partial;
	std::uint64_t first = 0, last = 0;
	if (a.empty())
	{
		// Suffix: the last n bytes.
		if (!digits(b, last))
			return whole;
		if (last == 0 || fileSize == 0)
			return ByteRange{ByteRange::Unsatisfiable};
		range.first = fileSize - std::min(last, fileSize);
		range.last = fileSize - 1;
		return range;
	}
	if (!digits(a, first))
		return whole;
	if (b.empty())
		last = UINT64_MAX;
	else if (!digits(b, last) || last < first)
		return whole;
	if (first >= fileSize)
		return ByteRange{ByteRange::Unsatisfiable};
	range.first = first;
	range.last = std::min(last, fileSize - 1);
	return range;
}

} // namespace camsvc::storage
