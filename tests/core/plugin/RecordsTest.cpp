//
// RecordsTest.cpp
//
// The host reads what plugins hand it as records by member name: a member
// an older plugin does not write takes today's default, a member of the
// wrong type is refused naming it (sdk/README.md "ABI rules").
//

#include "plugin/Records.h"
#include <gtest/gtest.h>

using namespace camsvc;
using Poco::JSON::Object;

namespace {

TEST(Records, AMethodRecordRoundTripsEveryMember)
{
	sdk::MethodSpec spec{.name = "x.do", .minRole = sdk::Role::Operator, .summary = "does",
		.params = {sdk::ParamSpec("n", sdk::ParamType::Integer, true, "count").range(1, 9),
			sdk::ParamSpec("mode", sdk::ParamType::String, false).values({"a", "b"}).maxLen(4)},
		.resultSummary = "done", .allowExtraParams = true, .nonBlocking = true};
	sdk::MethodSpec read = core::methodSpecFromRecord(spec.record());
	EXPECT_EQ(read.name, "x.do");
	EXPECT_EQ(read.minRole, sdk::Role::Operator);
	EXPECT_EQ(read.summary, "does");
	EXPECT_EQ(read.resultSummary, "done");
	EXPECT_TRUE(read.allowExtraParams);
	EXPECT_TRUE(read.nonBlocking);
	ASSERT_EQ(read.params.size(), 2u);
	EXPECT_EQ(read.params[0].type, sdk::ParamType::Integer);
	EXPECT_TRUE(read.params[0].required);
	EXPECT_EQ(read.params[0].minimum, 1);
	EXPECT_EQ(read.params[0].maximum, 9);
	EXPECT_EQ(read.params[1].oneOf, (std::vector<std::string>{"a", "b"}));
	EXPECT_EQ(read.params[1].maxLength, 4u);
}

TEST(Records, MembersAnOlderPluginDoesNotWriteTakeTodaysDefaults)
{
	Object::Ptr old = new Object; // as a plugin built before nonBlocking, params, ... existed would write it
	old->set("name", "old.method");
	sdk::MethodSpec read = core::methodSpecFromRecord(old);
	sdk::MethodSpec defaults;
	EXPECT_EQ(read.name, "old.method");
	EXPECT_EQ(read.minRole, defaults.minRole);
	EXPECT_EQ(read.nonBlocking, defaults.nonBlocking);
	EXPECT_EQ(read.allowExtraParams, defaults.allowExtraParams);
	EXPECT_TRUE(read.params.empty());
	Object::Ptr route = new Object;
	route->set("pathPrefix", "/old/");
	EXPECT_EQ(core::httpRouteFromRecord(route).method, "GET");
	EXPECT_EQ(core::httpRouteFromRecord(route).minRole, sdk::Role::Viewer);
}

TEST(Records, AMemberOfTheWrongTypeIsRefusedByName)
{
	Object::Ptr bad = new Object;
	bad->set("name", "x");
	bad->set("nonBlocking", "yes");
	try
	{
		core::methodSpecFromRecord(bad);
		FAIL() << "accepted a string for a boolean";
	}
	catch (const std::invalid_argument& e)
	{
		EXPECT_NE(std::string(e.what()).find("nonBlocking"), std::string::npos) << e.what();
	}
	Object::Ptr role = new Object;
	role->set("name", "x");
	role->set("minRole", 7);
	EXPECT_THROW(core::methodSpecFromRecord(role), std::invalid_argument);
	EXPECT_THROW(core::methodSpecFromRecord(nullptr), std::invalid_argument);
}

TEST(Records, AnIdentityRecordKeepsRoleAndExpiry)
{
	sdk::Identity identity{"ada", sdk::Role::Admin, Poco::Timestamp() + Poco::Timespan(60, 0), "plugin"};
	sdk::Identity read = core::identityFromRecord(sdk::identityRecord(identity));
	EXPECT_EQ(read.userId, "ada");
	EXPECT_EQ(read.role, sdk::Role::Admin);
	EXPECT_EQ(read.expiresAt, identity.expiresAt);
	EXPECT_EQ(read.method, "plugin");
}

} // namespace
