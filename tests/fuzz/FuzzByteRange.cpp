//
// FuzzByteRange.cpp
//
// libFuzzer target: any Range header against any file size (the first 8
// bytes). A partial range must lie inside the file (first <= last < size);
// an empty file never yields one.
//

#include "ByteRange.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

using camsvc::storage::ByteRange;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	if (size < 1)
		return 0;
	// Small sizes are the interesting ones; the top bit of byte 0 picks a full 64-bit size.
	std::uint64_t fileSize = data[0] & 0x7F;
	std::size_t skip = 1;
	if ((data[0] & 0x80) && size >= 9)
	{
		std::memcpy(&fileSize, data + 1, 8);
		skip = 9;
	}
	const std::string header(reinterpret_cast<const char*>(data + skip), size - skip);
	ByteRange range = camsvc::storage::parseRange(header, fileSize);
	if (range.kind == ByteRange::Partial && (range.first > range.last || range.last >= fileSize || range.length() == 0))
	{
		::fprintf(stderr, "range %llu-%llu outside a file of %llu bytes\n", static_cast<unsigned long long>(range.first),
			static_cast<unsigned long long>(range.last), static_cast<unsigned long long>(fileSize));
		std::abort();
	}
	return 0;
}
