//
// ByteRangeTest.cpp
//
// Range header parsing: the forms video players send, and the malformed or
// unsatisfiable ones.
//

#include "ByteRange.h"
#include <cstdint>
#include <gtest/gtest.h>

using camsvc::storage::ByteRange;
using camsvc::storage::parseRange;

TEST(ByteRange, NoHeaderOrOtherUnitMeansWholeFile)
{
	EXPECT_EQ(parseRange("", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("items=0-5", 100).kind, ByteRange::Whole);
}

TEST(ByteRange, SatisfiableFormsGiveTheBytesAsked)
{
	struct Case
	{
		const char* header;
		std::uint64_t first, last;
	};
	const Case cases[] = {
		{"bytes=0-9", 0, 9},       // first bytes
		{"bytes=90-", 90, 99},     // open-ended
		{"bytes=50-1000", 50, 99}, // end clamped to the file
		{"bytes=-10", 90, 99},     // suffix
		{"bytes=-500", 0, 99},     // suffix longer than the file
	};
	for (const Case& c: cases)
	{
		ByteRange r = parseRange(c.header, 100);
		ASSERT_EQ(r.kind, ByteRange::Partial) << c.header;
		EXPECT_EQ(r.first, c.first) << c.header;
		EXPECT_EQ(r.last, c.last) << c.header;
		EXPECT_EQ(r.length(), c.last - c.first + 1) << c.header;
	}
}

TEST(ByteRange, Unsatisfiable)
{
	EXPECT_EQ(parseRange("bytes=100-", 100).kind, ByteRange::Unsatisfiable);
	EXPECT_EQ(parseRange("bytes=200-300", 100).kind, ByteRange::Unsatisfiable);
	EXPECT_EQ(parseRange("bytes=-0", 100).kind, ByteRange::Unsatisfiable);
	EXPECT_EQ(parseRange("bytes=0-", 0).kind, ByteRange::Unsatisfiable);
}

TEST(ByteRange, MalformedOrMultipleIsIgnored)
{
	EXPECT_EQ(parseRange("bytes=5-2", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("bytes=a-b", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("bytes=", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("bytes=-", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("bytes=0-1,5-6", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("bytes=99999999999999999999-", 100).kind, ByteRange::Whole);
}
