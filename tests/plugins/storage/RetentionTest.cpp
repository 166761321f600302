//
// RetentionTest.cpp
//
// Retention by age and by total size, oldest first, never a file being
// written; the policy persisted in the catalog.
//

#include "Retention.h"
#include "StorageTestUtil.h"
#include <Poco/Format.h>
#include <gtest/gtest.h>

using namespace camsvc::storage;
using namespace camsvc::sdk;
using camsvc::test::MediaTree;
using camsvc::test::setAge;
using camsvc::test::writeFile;

namespace {

constexpr double Day = 86400;

void file(MediaTree& tree, MediaKind kind, const std::string& name, std::size_t size, double ageDays)
{
	std::string path = tree.library->directory(kind) + "/" + name;
	writeFile(path, size);
	setAge(path, ageDays * Day);
}

Poco::Int64 now()
{
	return Poco::Timestamp().epochMicroseconds() / 1000;
}

} // namespace

TEST(Retention, ByAgeDeletesOnlyOlderFinishedFiles)
{
	MediaTree tree;
	file(tree, MediaKind::Recording, "old.mp4", 1000, 10);
	file(tree, MediaKind::Snapshot, "old.jpg", 100, 8);
	file(tree, MediaKind::Snapshot, "new.jpg", 100, 1);
	MediaReservation writing = *tree.store().reserve(MediaKind::Recording, "camera0", "mp4", "writing.mp4");
	tree.store().registerInProgress(writing, Poco::Timestamp() - 20 * 86400 * Poco::Timestamp::resolution());
	writeFile(writing.path, 500);
	setAge(writing.path, 20 * Day);
	tree.library->reconcile(false);

	RetentionPolicy policy;
	policy.type = "age";
	policy.maxAgeDays = 5;
	RetentionResult r = applyRetention(*tree.library, policy, now());
	EXPECT_EQ(r.filesDeleted, 2u);
	EXPECT_EQ(r.bytesFreed, 1100u);
	EXPECT_FALSE(std::filesystem::exists(tree.recordings() + "/old.mp4"));
	EXPECT_FALSE(std::filesystem::exists(tree.snapshots() + "/old.jpg"));
	EXPECT_TRUE(std::filesystem::exists(tree.snapshots() + "/new.jpg"));
	EXPECT_TRUE(std::filesystem::exists(writing.path)) << "never a file in progress";
	EXPECT_TRUE(tree.catalog->find(MediaKind::Recording, "writing.mp4"));
}

TEST(Retention, BySizeDeletesOldestUntilUnderTheLimit)
{
	MediaTree tree;
	for (int i = 0; i < 5; ++i)
		file(tree, MediaKind::Snapshot, Poco::format("s%d.jpg", i), 1000, 5 - i); // s0 oldest
	tree.library->reconcile(false);
	RetentionPolicy policy;
	policy.type = "size";
	policy.maxSizeGb = 2500 / 1e9; // 2,500 bytes: keep the newest two
	RetentionResult r = applyRetention(*tree.library, policy, now());
	EXPECT_EQ(r.filesDeleted, 3u);
	EXPECT_EQ(r.bytesFreed, 3000u);
	EXPECT_FALSE(std::filesystem::exists(tree.snapshots() + "/s2.jpg"));
	EXPECT_TRUE(std::filesystem::exists(tree.snapshots() + "/s3.jpg"));
	EXPECT_TRUE(std::filesystem::exists(tree.snapshots() + "/s4.jpg"));
	EXPECT_EQ(tree.catalog->count(MediaKind::Snapshot), 2u);
	EXPECT_EQ(applyRetention(*tree.library, policy, now()).filesDeleted, 0u) << "already under the limit";
}

TEST(Retention, NoLimitsDeleteNothing)
{
	MediaTree tree;
	file(tree, MediaKind::Snapshot, "a.jpg", 10, 1000);
	tree.library->reconcile(false);
	EXPECT_EQ(applyRetention(*tree.library, RetentionPolicy(), now()).filesDeleted, 0u);
	EXPECT_TRUE(std::filesystem::exists(tree.snapshots() + "/a.jpg"));
}

TEST(Retention, PolicyIsPersisted)
{
	MediaTree tree;
	RetentionPolicy defaults;
	defaults.maxAgeDays = 30;
	RetentionStore store(*tree.catalog, defaults);
	EXPECT_DOUBLE_EQ(store.get().maxAgeDays, 30);
	RetentionPolicy p;
	p.type = "size";
	p.maxSizeGb = 1.5;
	p.enabled = true;
	store.set(p);
	tree.open();
	RetentionPolicy back = RetentionStore(*tree.catalog, defaults).get();
	EXPECT_EQ(back.type, "size");
	EXPECT_DOUBLE_EQ(back.maxSizeGb, 1.5);
	EXPECT_DOUBLE_EQ(back.maxAgeDays, 0);
	EXPECT_TRUE(back.periodic());
}
