//
// ByteRange.h
//
// The HTTP Range header of a download (RFC 9110 section 14): one byte range,
// "bytes=a-b", "bytes=a-" or "bytes=-n". Several ranges or a malformed header
// are ignored (the whole file is served, as the RFC allows); a well-formed
// range that misses the file is unsatisfiable (416).
//

#ifndef CAMSVC_STORAGE_BYTERANGE_H
#define CAMSVC_STORAGE_BYTERANGE_H

#include <cstdint>
#include <string>

namespace camsvc::storage {

struct ByteRange
{
	enum Kind { Whole, Partial, Unsatisfiable };
	Kind kind = Whole;
	std::uint64_t first = 0; // Partial: inclusive bounds within the file
	std::uint64_t last = 0;

	std::uint64_t length() const { return last - first + 1; }
};

ByteRange parseRange(const std::string& header, std::uint64_t fileSize);

} // namespace camsvc::storage

#endif
