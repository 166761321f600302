//
// AssetTableTest.cpp
//
// The console's files as the plugin serves them: the page at /, the other
// assets under /console/, types by extension, the settings written into the
// page (with an ETag of their own), If-None-Match, nothing else found; and
// the transport-independent answers built from it.
//

#include "AssetTable.h"
#include "ConsoleAnswers.h"
#include <gtest/gtest.h>

using namespace camsvc::console;

namespace {

const unsigned char page[] = "<meta name=\"ws-path\" content=\"%WS_PATH%\">";
const unsigned char script[] = "'use strict';";
const EmbeddedAsset files[] = {
	{"/index.html", page, sizeof page - 1, "\"aaaa\""},
	{"/app.js", script, sizeof script - 1, "\"bbbb\""},
};

} // namespace

TEST(AssetTable, ThePageIsAtRootAndTheRestUnderConsole)
{
	AssetTable table(files);
	auto root = table.find("/");
	ASSERT_TRUE(root);
	EXPECT_EQ(root->contentType, "text/html; charset=utf-8");
	EXPECT_EQ(root->etag, "\"aaaa\"");
	auto js = table.find("/console/app.js");
	ASSERT_TRUE(js);
	EXPECT_EQ(js->body, "'use strict';");
	EXPECT_EQ(js->contentType, "text/javascript; charset=utf-8");
	EXPECT_FALSE(table.find("/app.js"));
	EXPECT_FALSE(table.find("/index.html")) << "one URL per file";
	EXPECT_FALSE(table.find("/console/../app.js"));
	EXPECT_FALSE(table.find("/console/"));
}

TEST(AssetTable, TheEmbeddedConsoleHasItsPageScriptStyleAndIcon)
{
	AssetTable table(embeddedAssets(), {{"WS_PATH", "/ws"}, {"LIVE_PATH", "/console/live/"}});
	for (const char* path: {"/", "/console/app.js", "/console/app.css", "/console/icon.svg"})
		EXPECT_TRUE(table.find(path)) << path;
	auto root = table.find("/");
	ASSERT_TRUE(root);
	EXPECT_NE(root->body.find("data-testid=\"login-token\""), std::string_view::npos);
	EXPECT_EQ(root->body.find("%WS_PATH%"), std::string_view::npos);
	EXPECT_EQ(root->body.find("http://"), std::string_view::npos) << "no asset from elsewhere";
	EXPECT_EQ(root->body.find("https://"), std::string_view::npos) << "no asset from elsewhere";
}

TEST(AssetTable, PageSettingsAreWrittenInAndChangeTheETag)
{
	AssetTable plain(files);
	AssetTable custom(files, {{"WS_PATH", "/rpc-socket"}});
	auto page = custom.find("/");
	ASSERT_TRUE(page);
	EXPECT_EQ(page->body, "<meta name=\"ws-path\" content=\"/rpc-socket\">");
	EXPECT_NE(page->etag, plain.find("/")->etag);
	EXPECT_EQ(page->etag.front(), '"');
	EXPECT_EQ(page->etag.back(), '"');
	EXPECT_EQ(custom.find("/console/app.js")->etag, "\"bbbb\"");
}

TEST(AssetTable, ContentTypesByExtension)
{
	EXPECT_EQ(AssetTable::contentTypeOf("a.css"), "text/css; charset=utf-8");
	EXPECT_EQ(AssetTable::contentTypeOf("a.svg"), "image/svg+xml");
	EXPECT_EQ(AssetTable::contentTypeOf("a.bin"), "application/octet-stream");
	EXPECT_EQ(AssetTable::contentTypeOf("noextension"), "application/octet-stream");
}

TEST(AssetTable, IfNoneMatch)
{
	EXPECT_TRUE(AssetTable::notModified("\"aaaa\"", "\"aaaa\""));
	EXPECT_TRUE(AssetTable::notModified("\"x\", W/\"aaaa\"", "\"aaaa\""));
	EXPECT_TRUE(AssetTable::notModified("*", "\"aaaa\""));
	EXPECT_FALSE(AssetTable::notModified("", "\"aaaa\""));
	EXPECT_FALSE(AssetTable::notModified("\"aaa\"", "\"aaaa\""));
}

TEST(ConsoleAnswers, AnAssetAnswersWithItsHeadersA304OrTheCores404)
{
	AssetTable table(files);
	auto page = assetAnswer(table, "/", "");
	EXPECT_EQ(page.status, 200);
	EXPECT_EQ(page.body, "<meta name=\"ws-path\" content=\"%WS_PATH%\">");
	auto header = [](const HttpAnswer& a, const std::string& name) {
		for (const auto& [n, v]: a.headers)
			if (n == name)
				return v;
		return std::string();
	};
	EXPECT_EQ(header(page, "Content-Type"), "text/html; charset=utf-8");
	EXPECT_EQ(header(page, "ETag"), "\"aaaa\"");
	EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
	auto cached = assetAnswer(table, "/", "\"aaaa\"");
	EXPECT_EQ(cached.status, 304);
	EXPECT_TRUE(cached.body.empty());
	auto missing = assetAnswer(table, "/console/missing.js", "");
	EXPECT_EQ(missing.status, 404);
	EXPECT_EQ(missing.body, "{\"error\":\"not_found\",\"reason\":\"no_such_path\"}");
}

TEST(ConsoleAnswers, ALiveViewWithoutACameraNameOrCamerasIs404)
{
	for (const char* path: {"/console/live/", "/console/live/%zz", "/elsewhere", "/console/live/camera0"})
	{
		auto live = liveAnswer(nullptr, path);
		EXPECT_FALSE(live.view) << path;
		EXPECT_EQ(live.head.status, 404) << path;
		EXPECT_NE(live.head.body.find("camera_not_found"), std::string::npos) << path;
	}
}
