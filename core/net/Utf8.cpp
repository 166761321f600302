#include "net/Utf8.h"
#include <cstdint>

namespace camsvc::core {

bool validUtf8(std::string_view text)
{
	const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
	const auto* end = p + text.size();
	while (p < end)
	{
		std::uint8_t c = *p;
		if (c < 0x80)
		{
			++p;
			continue;
		}
		int extra;
		std::uint8_t low = 0x80, high = 0xBF; // the allowed range of the second byte
		if (c >= 0xC2 && c <= 0xDF)
			extra = 1;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			extra = 2;
			if (c == 0xE0) low = 0xA0;        // no overlong forms
			else if (c == 0xED) high = 0x9F;  // no UTF-16 surrogates
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			extra = 3;
			if (c == 0xF0) low = 0x90;        // no overlong forms
			else if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
		}
		else
			return false;
		if (end - p <= extra)
			return false;
		if (p[1] < low || p[1] > high)
			return false;
		for (int i = 2; i <= extra; ++i)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += extra + 1;
	}
	return true;
}

} // namespace camsvc::core
