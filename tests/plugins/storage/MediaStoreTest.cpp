//
// MediaStoreTest.cpp
//
// The MediaStore service as capture plugins use it: names reserved (generated
// or validated), files registered, completed, damaged, released; and the
// storage guard's verdicts driven by configured thresholds.
//

#include "StorageTestUtil.h"
#include <gtest/gtest.h>

using namespace camsvc::storage;
using namespace camsvc::sdk;
using camsvc::test::MediaTree;
using camsvc::test::writeFile;

namespace {

RpcError reserveError(MediaStore& store, MediaKind kind, const std::string& name, const std::string& camera = "camera0")
{
	try
	{
		store.reserve(kind, camera, "jpg", name);
	}
	catch (const RpcError& e)
	{
		return e;
	}
	ADD_FAILURE() << "no error for " << name.substr(0, 40);
	return RpcError(0, "");
}

} // namespace

TEST(MediaStore, GeneratedNamesAreUniqueAndInsideTheDirectory)
{
	MediaTree tree;
	MediaStore& store = *tree.library;
	MediaReservation a = *store.reserve(MediaKind::Recording, "camera0", "mp4");
	MediaReservation b = *store.reserve(MediaKind::Recording, "camera0", "MP4");
	EXPECT_NE(a.filename, b.filename);
	EXPECT_EQ(a.filename.rfind("camera0_", 0), 0u);
	EXPECT_EQ(a.format, "mp4");
	EXPECT_EQ(a.path, tree.recordings() + "/" + a.filename);
	EXPECT_EQ(a.tempPath, tree.recordings() + "/." + a.filename + ".part");
	// "camera0_YYYY-MM-DD_HH-MM-SS.mp4"
	EXPECT_EQ(a.filename.size(), std::string("camera0_2025-01-15_14-30-00.mp4").size());
	MediaReservation s = *store.reserve(MediaKind::Snapshot, "camera1", "jpg");
	EXPECT_EQ(s.filename.size(), std::string("camera1_2025-01-15_14-30-00-123.jpg").size());
	EXPECT_EQ(store.directory(MediaKind::Snapshot), tree.snapshots());
}

TEST(MediaStore, HostileRequestedNamesAreInvalidParams)
{
	MediaTree tree;
	writeFile(tree.snapshots() + "/existing.jpg", 10);
	const std::vector<std::pair<std::string, std::string>> cases = {
		{"../x.jpg", "path_separator"}, {"/etc/passwd", "path_separator"}, {"a/b.jpg", "path_separator"},
		{"x.exe", "extension_not_allowed"}, {std::string(10240, 'n') + ".jpg", "too_long"},
		{std::string("a\0.jpg", 6), "control_character"}, {"existing.jpg", "file_exists"}, {"..jpg", "dot_segment"}};
	for (const auto& [name, reason]: cases)
	{
		RpcError e = reserveError(*tree.library, MediaKind::Snapshot, name);
		EXPECT_EQ(e.code(), ErrorCode::InvalidParams) << reason;
		ASSERT_TRUE(e.data());
		EXPECT_EQ(e.data()->getValue<std::string>("param"), "filename");
		EXPECT_EQ(e.data()->getValue<std::string>("reason"), reason);
	}
	EXPECT_EQ(reserveError(*tree.library, MediaKind::Snapshot, "ok.jpg", "../cam").code(), ErrorCode::InvalidParams);
	// A reserved name cannot be reserved twice.
	tree.store().reserve(MediaKind::Snapshot, "camera0", "jpg", "mine.jpg");
	EXPECT_EQ(reserveError(*tree.library, MediaKind::Snapshot, "mine.jpg").data()->getValue<std::string>("reason"), "file_exists");
	EXPECT_THROW(tree.store().reserve(MediaKind::Snapshot, "camera0", "exe"), RpcError);
	EXPECT_EQ(std::string(10240, 'n').size(), 10240u);
	EXPECT_TRUE(std::filesystem::exists(tree.snapshots() + "/existing.jpg"));
}

TEST(MediaStore, SnapshotWrittenToTempIsPublishedByRename)
{
	MediaTree tree;
	MediaStore& store = *tree.library;
	MediaReservation r = *store.reserve(MediaKind::Snapshot, "camera0", "jpg", "shot.jpg");
	store.registerInProgress(r);
	auto row = tree.catalog->find(MediaKind::Snapshot, "shot.jpg");
	ASSERT_TRUE(row);
	EXPECT_EQ(row->status, Status::Recording);
	writeFile(r.tempPath, 1234);
	store.complete(r, 0, 0, true);
	EXPECT_FALSE(std::filesystem::exists(r.tempPath));
	EXPECT_EQ(std::filesystem::file_size(r.path), 1234u);
	row = tree.catalog->find(MediaKind::Snapshot, "shot.jpg");
	EXPECT_EQ(row->status, Status::Complete);
	EXPECT_EQ(row->size, 1234);
	EXPECT_EQ(row->camera, "camera0");
}

TEST(MediaStore, CompleteNeverOverwritesAFileThatAppeared)
{
	MediaTree tree;
	MediaReservation r = *tree.store().reserve(MediaKind::Snapshot, "camera0", "jpg", "race.jpg");
	writeFile(r.tempPath, 10, 'n');
	writeFile(r.path, 5, 'o'); // someone else wrote the final name meanwhile
	EXPECT_THROW(tree.store().complete(r, 10, 0, true), RpcError);
	EXPECT_EQ(std::filesystem::file_size(r.path), 5u);
	tree.store().release(r);
	EXPECT_FALSE(std::filesystem::exists(r.tempPath));
}

TEST(MediaStore, RecordingLifecycleAndDeletionRules)
{
	MediaTree tree;
	MediaReservation r = *tree.store().reserve(MediaKind::Recording, "camera0", "mp4");
	tree.store().registerInProgress(r, Poco::Timestamp());
	writeFile(r.path, 5000);
	try
	{
		tree.library->remove(MediaKind::Recording, r.filename);
		FAIL() << "deleted a recording in progress";
	}
	catch (const RpcError& e)
	{
		EXPECT_EQ(e.code(), ErrorCode::RecordingInProgress);
	}
	tree.store().complete(r, 5000, 42.0);
	auto row = tree.catalog->find(MediaKind::Recording, r.filename);
	EXPECT_EQ(row->status, Status::Complete);
	EXPECT_DOUBLE_EQ(row->duration, 42.0);
	EXPECT_GT(row->startTime, 0);
	EXPECT_GE(row->endTime, row->startTime);
	tree.library->remove(MediaKind::Recording, r.filename);
	EXPECT_FALSE(std::filesystem::exists(r.path));
	EXPECT_FALSE(tree.catalog->find(MediaKind::Recording, r.filename));
	try
	{
		tree.library->remove(MediaKind::Recording, r.filename);
		FAIL();
	}
	catch (const RpcError& e)
	{
		EXPECT_EQ(e.code(), ErrorCode::NotFound);
	}
}

TEST(MediaStore, DamagedAndReleased)
{
	MediaTree tree;
	MediaReservation bad = *tree.store().reserve(MediaKind::Recording, "camera0", "mkv");
	tree.store().registerInProgress(bad);
	writeFile(bad.path, 10);
	tree.store().markDamaged(bad, "stream lost");
	EXPECT_EQ(tree.catalog->find(MediaKind::Recording, bad.filename)->status, Status::Damaged);
	tree.library->remove(MediaKind::Recording, bad.filename); // damaged files can be deleted

	MediaReservation gone = *tree.store().reserve(MediaKind::Recording, "camera0", "mp4");
	tree.store().registerInProgress(gone);
	tree.store().release(gone);
	EXPECT_FALSE(tree.catalog->find(MediaKind::Recording, gone.filename)) << "nothing was written";
	// The released name is free again.
	EXPECT_NO_THROW(tree.store().reserve(MediaKind::Recording, "camera0", "mp4", gone.filename));
}

TEST(MediaStore, GuardVerdictsFollowThresholds)
{
	{
		MediaTree tree;
		StorageCheck ok = *tree.library->checkRoom(MediaKind::Recording, 0);
		EXPECT_GT(ok.totalBytes, 0u);
		EXPECT_EQ(ok.verdict, StorageVerdict::Ok) << "test machine disk is nearly full?";
		EXPECT_NO_THROW(ok.throwIfRefused(true));
		EXPECT_EQ(tree.library->checkRoom(MediaKind::Recording, ok.availableBytes + 1)->verdict, StorageVerdict::Full);
	}
	{
		MediaTree tree(GuardConfig{101, 5, 0});
		StorageCheck low = *tree.library->checkRoom(MediaKind::Snapshot, 0);
		EXPECT_EQ(low.verdict, StorageVerdict::Low);
		EXPECT_TRUE(low.lowSpaceWarning());
		EXPECT_NO_THROW(low.throwIfRefused(true));
	}
	{
		MediaTree tree(GuardConfig{101, 101, 0});
		StorageCheck critical = *tree.library->checkRoom(MediaKind::Recording, 0);
		EXPECT_EQ(critical.verdict, StorageVerdict::Critical);
		EXPECT_NO_THROW(critical.throwIfRefused(false)) << "snapshots may go on";
		try
		{
			critical.throwIfRefused(true);
			FAIL();
		}
		catch (const RpcError& e)
		{
			EXPECT_EQ(e.code(), ErrorCode::StorageCritical);
			EXPECT_EQ(e.data()->getValue<std::string>("reason"), "storage_critical");
		}
	}
	{
		MediaTree tree(GuardConfig{10, 5, UINT64_MAX / 2});
		StorageCheck full = *tree.library->checkRoom(MediaKind::Recording, 0);
		EXPECT_EQ(full.verdict, StorageVerdict::Full);
		EXPECT_EQ(full.availableBytes, 0u);
		try
		{
			full.throwIfRefused(false);
			FAIL();
		}
		catch (const RpcError& e)
		{
			EXPECT_EQ(e.code(), ErrorCode::InsufficientStorage);
		}
	}
}
