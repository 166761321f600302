//
// RequireAll.h
//
// A test whose precondition is missing (a privilege, a tool) skips on a
// developer's machine but fails in CI: scripts/test.sh exports
// CAMSVC_REQUIRE_ALL_TESTS=1, so a green CI run means every test ran.
//

#ifndef CAMSVC_TEST_REQUIREALL_H
#define CAMSVC_TEST_REQUIREALL_H

#include <cstdlib>
#include <cstring>
#include <gtest/gtest.h>

namespace camsvc::test {

inline bool allTestsRequired()
	/// CAMSVC_REQUIRE_ALL_TESTS=1 in the environment (CI).
{
	const char* v = std::getenv("CAMSVC_REQUIRE_ALL_TESTS");
	return v && std::strcmp(v, "1") == 0;
}

} // namespace camsvc::test

#define CAMSVC_SKIP_OR_FAIL(why) \
	/** Skips with why, or fails with it when every test is required (CI). */ \
	do \
	{ \
		if (::camsvc::test::allTestsRequired()) \
			FAIL() << why << " (CAMSVC_REQUIRE_ALL_TESTS=1: a test may not skip)"; \
		GTEST_SKIP() << why; \
	} while (false)

#endif // CAMSVC_TEST_REQUIREALL_H
