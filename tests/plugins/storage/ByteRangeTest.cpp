//
// ByteRangeTest.cpp
//
// Range header parsing: the forms video players send, and the malformed or
// unsatisfiable ones.
//

#include "ByteRange.h"
#include <gtest/gtest.h>

using camsvc::storage::ByteRange;
using camsvc::storage::parseRange;

TEST(ByteRange, NoHeaderOrOtherUnitMeansWholeFile)
{
	EXPECT_EQ(parseRange("", 100).kind, ByteRange::Whole);
	EXPECT_EQ(parseRange("items=0-5", 100).kind, ByteRange::Whole);
}

TEST(ByteRange, FirstBytes)
{
	ByteRange r = parseRange("bytes=0-9", 100);
	ASSERT_EQ(r.kind, ByteRange::Partial);
	EXPECT_EQ(r.first, 0u);
	EXPECT_EQ(r.last, 9u);
	EXPECT_EQ(r.length(), 10u);
}

TEST(ByteRange, OpenEndedAndClampedEnd)
{
	ByteRange open = parseRange("bytes=90-", 100);
	ASSERT_EQ(open.kind, ByteRange::Partial);
	EXPECT_EQ(open.first, 90u);
	EXPECT_EQ(open.last, 99u);
	ByteRange clamped = parseRange("bytes=50-1000", 100);
	ASSERT_EQ(clamped.kind, ByteRange::Partial);
	EXPECT_EQ(clamped.last, 99u);
}

TEST(ByteRange, Suffix)
{
	ByteRange r = parseRange("bytes=-10", 100);
	ASSERT_EQ(r.kind, ByteRange::Partial);
	EXPECT_EQ(r.first, 90u);
	EXPECT_EQ(r.last, 99u);
	ByteRange longer = parseRange("bytes=-500", 100);
	ASSERT_EQ(longer.kind, ByteRange::Partial);
	EXPECT_EQ(longer.first, 0u);
	EXPECT_EQ(longer.length(), 100u);
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
