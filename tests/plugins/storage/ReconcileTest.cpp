//
// ReconcileTest.cpp
//
// The catalog follows the directories: files added, deleted or truncated
// behind its back, recordings a crash left open (probed with libavformat),
// stale temporaries, and files that are not media.
//

#include "StorageTestUtil.h"
#include <gtest/gtest.h>

using namespace camsvc::storage;
using namespace camsvc::sdk;
using camsvc::test::MediaTree;
using camsvc::test::makeVideo;
using camsvc::test::setAge;
using camsvc::test::writeFile;

TEST(Reconcile, FilesAddedAndRemovedByHand)
{
	MediaTree tree;
	writeFile(tree.snapshots() + "/camera2_a.jpg", 100);
	writeFile(tree.snapshots() + "/b.png", 200);
	writeFile(tree.snapshots() + "/notes.txt", 5);          // not media: ignored
	writeFile(tree.snapshots() + "/.hidden.jpg", 5);        // hidden: ignored
	std::filesystem::create_directory(tree.snapshots() + "/sub.jpg");
	std::filesystem::create_symlink("/etc/hostname", tree.snapshots() + "/link.jpg");
	ReconcileReport first = tree.library->reconcile(false);
	EXPECT_EQ(first.added, 2u);
	EXPECT_EQ(tree.catalog->count(MediaKind::Snapshot), 2u);
	auto a = tree.catalog->find(MediaKind::Snapshot, "camera2_a.jpg");
	ASSERT_TRUE(a);
	EXPECT_EQ(a->camera, "camera2");
	EXPECT_EQ(a->size, 100);
	EXPECT_EQ(a->status, Status::Complete);

	std::filesystem::remove(tree.snapshots() + "/b.png");
	writeFile(tree.snapshots() + "/c.jpg", 300);
	ReconcileReport second = tree.library->reconcile(false);
	EXPECT_EQ(second.added, 1u);
	EXPECT_EQ(second.removed, 1u);
	EXPECT_FALSE(tree.catalog->find(MediaKind::Snapshot, "b.png"));
	EXPECT_TRUE(tree.catalog->find(MediaKind::Snapshot, "c.jpg"));

	ReconcileReport third = tree.library->reconcile(false);
	EXPECT_EQ(third.added + third.removed + third.updated, 0u) << "nothing changed";
}

TEST(Reconcile, TruncatedRecordingIsUpdatedAndMarkedDamaged)
{
	MediaTree tree;
	const std::string path = tree.recordings() + "/camera0_2025-01-15_14-30-00.mp4";
	ASSERT_TRUE(makeVideo(path, 3));
	tree.library->reconcile(false);
	auto row = tree.catalog->find(MediaKind::Recording, "camera0_2025-01-15_14-30-00.mp4");
	ASSERT_TRUE(row);
	EXPECT_EQ(row->status, Status::Complete);
	EXPECT_NEAR(row->duration, 3.0, 0.3);
	EXPECT_EQ(row->camera, "camera0");

	// Truncated to a header fragment: still present, now damaged, new size.
	std::filesystem::resize_file(path, 100);
	setAge(path, 60);
	ReconcileReport report = tree.library->reconcile(false);
	EXPECT_EQ(report.updated, 1u);
	EXPECT_EQ(report.damaged, 1u);
	row = tree.catalog->find(MediaKind::Recording, "camera0_2025-01-15_14-30-00.mp4");
	EXPECT_EQ(row->size, 100);
	EXPECT_EQ(row->status, Status::Damaged);
}

TEST(Reconcile, RecordingsLeftOpenByACrashAreProbed)
{
	MediaTree tree;
	MediaReservation good = *tree.store().reserve(MediaKind::Recording, "camera0", "mkv", "good.mkv");
	tree.store().registerInProgress(good);
	ASSERT_TRUE(makeVideo(good.path, 2));
	MediaReservation bad = *tree.store().reserve(MediaKind::Recording, "camera1", "mp4", "bad.mp4");
	tree.store().registerInProgress(bad);
	writeFile(bad.path, 4096, '\x01');
	MediaReservation never = *tree.store().reserve(MediaKind::Recording, "camera2", "mp4", "never.mp4");
	tree.store().registerInProgress(never);
	writeFile(tree.snapshots() + "/.camera0_x.jpg.part", 10);

	// On demand, files being written by this process are left alone.
	ReconcileReport live = tree.library->reconcile(false);
	EXPECT_EQ(live.recovered + live.removed, 0u);
	EXPECT_EQ(tree.catalog->find(MediaKind::Recording, "good.mkv")->status, Status::Recording);

	tree.open(); // "crash" and restart: the in-memory state is gone
	ReconcileReport report = tree.library->reconcile(true);
	EXPECT_EQ(report.recovered, 2u);
	EXPECT_EQ(report.removed, 1u) << "never written";
	auto g = tree.catalog->find(MediaKind::Recording, "good.mkv");
	EXPECT_EQ(g->status, Status::Complete);
	EXPECT_NEAR(g->duration, 2.0, 0.3);
	EXPECT_GT(g->endTime, 0);
	EXPECT_EQ(tree.catalog->find(MediaKind::Recording, "bad.mp4")->status, Status::Damaged);
	EXPECT_FALSE(tree.catalog->find(MediaKind::Recording, "never.mp4"));
	EXPECT_FALSE(std::filesystem::exists(tree.snapshots() + "/.camera0_x.jpg.part")) << "stale temporary removed";
}

namespace {

void plantSnapshotAndLinks(MediaTree& tree)
	/// snapshots/in.jpg, a link to it (alias.jpg) and one out of the directory (escape.jpg).
{
	writeFile(tree.snapshots() + "/in.jpg", 10);
	writeFile(tree.root + "/outside.jpg", 10);
	std::filesystem::create_symlink(tree.root + "/outside.jpg", tree.snapshots() + "/escape.jpg");
	std::filesystem::create_symlink(tree.snapshots() + "/in.jpg", tree.snapshots() + "/alias.jpg");
}

} // namespace

TEST(Reconcile, ResolveStaysInsideTheDirectory)
{
	MediaTree tree;
	plantSnapshotAndLinks(tree);
	EXPECT_EQ(tree.library->resolve(MediaKind::Snapshot, "in.jpg"), tree.snapshots() + "/in.jpg");
	EXPECT_EQ(tree.library->resolve(MediaKind::Snapshot, "alias.jpg"), tree.snapshots() + "/in.jpg");
	EXPECT_EQ(tree.library->resolve(MediaKind::Snapshot, "escape.jpg"), "");
	EXPECT_EQ(tree.library->resolve(MediaKind::Snapshot, "../outside.jpg"), "");
	EXPECT_EQ(tree.library->resolve(MediaKind::Snapshot, "missing.jpg"), "");
	EXPECT_EQ(tree.library->resolve(MediaKind::Recording, "in.jpg"), "");
}

TEST(Reconcile, OpenForDownloadGivesTheResolvedFileOnly)
{
	// The download's open: the file resolve() finds, read-only; -1 for
	// anything outside, missing or not a regular file (a FIFO must not block).
	MediaTree tree;
	plantSnapshotAndLinks(tree);
	ASSERT_EQ(::mkfifo((tree.snapshots() + "/pipe.jpg").c_str(), 0600), 0);
	for (const char* name: {"in.jpg", "alias.jpg"})
	{
		int fd = tree.library->openForDownload(MediaKind::Snapshot, name);
		ASSERT_GE(fd, 0) << name;
		char buffer[32];
		EXPECT_EQ(::read(fd, buffer, sizeof buffer), 10) << name;
		EXPECT_EQ(::write(fd, "x", 1), -1) << name << ": read-only";
		::close(fd);
	}
	for (const char* name: {"escape.jpg", "../outside.jpg", "missing.jpg", "pipe.jpg"})
		EXPECT_EQ(tree.library->openForDownload(MediaKind::Snapshot, name), -1) << name;
	EXPECT_EQ(tree.library->openForDownload(MediaKind::Recording, "in.jpg"), -1);
}
