//
// CatalogTest.cpp
//
// The SQLite catalog: rows in and out, newest-first pages, counts and sizes,
// settings that survive a reopen, and paging at 100,000 rows.
//

#include "MediaNames.h"
#include "StorageTestUtil.h"
#include <Poco/Stopwatch.h>
#include <Poco/Format.h>
#include <gtest/gtest.h>

using namespace camsvc::storage;
using camsvc::sdk::MediaKind;
using camsvc::test::freshDir;

namespace {

MediaRecord row(MediaKind kind, const std::string& name, Poco::Int64 modified, Poco::Int64 size = 100)
{
	MediaRecord r;
	r.kind = kind;
	r.name = name;
	r.format = extensionOf(name);
	r.created = modified;
	r.modified = modified;
	r.size = size;
	return r;
}

class CatalogTest: public ::testing::Test
{
protected:
	void SetUp() override
	{
		dir = freshDir("camsvc-catalog");
		catalog = std::make_unique<Catalog>(dir + "/storage.db");
	}
	void TearDown() override
	{
		catalog.reset();
		std::filesystem::remove_all(dir);
	}
	std::string dir;
	std::unique_ptr<Catalog> catalog;
};

} // namespace

TEST_F(CatalogTest, InsertFindAndDelete)
{
	MediaRecord r = row(MediaKind::Recording, "camera0_a.mp4", 1000, 4096);
	r.camera = "camera0";
	r.duration = 12.5;
	r.status = Status::Recording;
	catalog->upsert(r);
	auto found = catalog->find(MediaKind::Recording, "camera0_a.mp4");
	ASSERT_TRUE(found);
	EXPECT_EQ(found->camera, "camera0");
	EXPECT_EQ(found->size, 4096);
	EXPECT_DOUBLE_EQ(found->duration, 12.5);
	EXPECT_EQ(found->status, Status::Recording);
	EXPECT_FALSE(catalog->find(MediaKind::Snapshot, "camera0_a.mp4")) << "kinds are separate";

	r.status = Status::Complete;
	r.size = 8192;
	catalog->upsert(r);
	EXPECT_EQ(catalog->find(MediaKind::Recording, "camera0_a.mp4")->size, 8192);
	EXPECT_EQ(catalog->count(MediaKind::Recording), 1u);

	EXPECT_TRUE(catalog->remove(MediaKind::Recording, "camera0_a.mp4"));
	EXPECT_FALSE(catalog->remove(MediaKind::Recording, "camera0_a.mp4"));
	EXPECT_EQ(catalog->count(MediaKind::Recording), 0u);
}

TEST_F(CatalogTest, PagesAreNewestFirstWithCountAndSize)
{
	std::vector<MediaRecord> rows;
	for (int i = 0; i < 25; ++i)
		rows.push_back(row(MediaKind::Snapshot, Poco::format("s%d.jpg", 100 + i), 1000 + i, 10));
	rows.push_back(row(MediaKind::Recording, "r.mp4", 5000, 7));
	catalog->upsertMany(rows);
	EXPECT_EQ(catalog->count(MediaKind::Snapshot), 25u);
	EXPECT_EQ(catalog->totalSize(MediaKind::Snapshot), 250);
	EXPECT_EQ(catalog->totalSize(MediaKind::Recording), 7);

	auto first = catalog->page(MediaKind::Snapshot, 10, 0);
	ASSERT_EQ(first.size(), 10u);
	EXPECT_EQ(first[0].name, "s124.jpg");
	EXPECT_EQ(first[9].name, "s115.jpg");
	auto last = catalog->page(MediaKind::Snapshot, 10, 20);
	ASSERT_EQ(last.size(), 5u);
	EXPECT_EQ(last[4].name, "s100.jpg");
	EXPECT_TRUE(catalog->page(MediaKind::Snapshot, 10, 25).empty());

	catalog->removeMany(MediaKind::Snapshot, {"s124.jpg", "s123.jpg"});
	EXPECT_EQ(catalog->count(MediaKind::Snapshot), 23u);
	EXPECT_EQ(catalog->page(MediaKind::Snapshot, 1, 0)[0].name, "s122.jpg");
}

TEST_F(CatalogTest, SameModifiedTimeOrdersByNameDescending)
{
	catalog->upsertMany({row(MediaKind::Snapshot, "a.jpg", 1), row(MediaKind::Snapshot, "b.jpg", 1), row(MediaKind::Snapshot, "c.jpg", 1)});
	auto page = catalog->page(MediaKind::Snapshot, 2, 1);
	ASSERT_EQ(page.size(), 2u);
	EXPECT_EQ(page[0].name, "b.jpg");
	EXPECT_EQ(page[1].name, "a.jpg");
}

TEST_F(CatalogTest, OldestFinishedSkipsFilesBeingWritten)
{
	MediaRecord writing = row(MediaKind::Recording, "w.mp4", 1);
	writing.status = Status::Recording;
	catalog->upsertMany({writing, row(MediaKind::Snapshot, "s.jpg", 3), row(MediaKind::Recording, "r.mp4", 2)});
	auto rows = catalog->oldestFinished(10);
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_EQ(rows[0].name, "r.mp4");
	EXPECT_EQ(rows[1].name, "s.jpg");
}

TEST_F(CatalogTest, SettingsSurviveReopen)
{
	EXPECT_EQ(catalog->setting("k", "default"), "default");
	catalog->setSetting("k", "v1");
	catalog->setSetting("k", "v2");
	catalog = std::make_unique<Catalog>(dir + "/storage.db");
	EXPECT_EQ(catalog->setting("k", "default"), "v2");
}

TEST_F(CatalogTest, HundredThousandRowsPageQuickly)
{
	const int n = 100000;
	std::vector<MediaRecord> rows;
	rows.reserve(n);
	for (int i = 0; i < n; ++i)
		rows.push_back(row(MediaKind::Recording, Poco::format("camera0_%d.mp4", 1000000 + i), 1700000000000LL + i * 1000LL, i));
	catalog->upsertMany(rows);
	EXPECT_EQ(catalog->count(MediaKind::Recording), static_cast<std::size_t>(n));

	auto first = catalog->page(MediaKind::Recording, 50, 0);
	ASSERT_EQ(first.size(), 50u);
	EXPECT_EQ(first[0].name, "camera0_1099999.mp4");
	auto middle = catalog->page(MediaKind::Recording, 1000, 50000);
	ASSERT_EQ(middle.size(), 1000u);
	EXPECT_EQ(middle[0].name, Poco::format("camera0_%d.mp4", 1000000 + n - 1 - 50000));
	for (std::size_t i = 1; i < middle.size(); ++i)
		ASSERT_GT(middle[i - 1].modified, middle[i].modified);
	auto tail = catalog->page(MediaKind::Recording, 50, n - 10);
	ASSERT_EQ(tail.size(), 10u);
	EXPECT_EQ(tail.back().name, "camera0_1000000.mp4");

	// Latency is measured by bench/storage; here only a generous sanity bound.
	Poco::Stopwatch watch;
	watch.start();
	for (int i = 0; i < 20; ++i)
		catalog->page(MediaKind::Recording, 50, static_cast<std::size_t>(i) * 5000);
	EXPECT_LT(watch.elapsed() / 20, 200000) << "average page over 200 ms";
}
