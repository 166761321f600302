//
// MediaNamesTest.cpp
//
// Which names are safe media names, and the generated names.
//

#include "MediaNames.h"
#include <gtest/gtest.h>

using namespace camsvc::storage;
using camsvc::sdk::MediaKind;

TEST(MediaNames, PlainNamesWithAllowedExtensionsPass)
{
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "snapshot_001.jpg"), "");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "Front Door.PNG"), "");
	EXPECT_EQ(nameProblem(MediaKind::Recording, "camera0_2025-01-15_14-30-00.mp4"), "");
	EXPECT_EQ(nameProblem(MediaKind::Recording, "clip.mkv"), "");
}

TEST(MediaNames, HostileNamesAreRefusedWithAReason)
{
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, ""), "empty");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "../x.jpg"), "path_separator");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "/etc/passwd"), "path_separator");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "a/b.jpg"), "path_separator");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "a\\b.jpg"), "path_separator");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "x..jpg"), "dot_segment");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, ".hidden.jpg"), "hidden");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "x.exe"), "extension_not_allowed");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "noextension"), "extension_not_allowed");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, ".jpg"), "hidden");
	EXPECT_EQ(nameProblem(MediaKind::Recording, "x.jpg"), "extension_not_allowed");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, std::string(10240, 'a') + ".jpg"), "too_long");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, std::string("a\0b.jpg", 7)), "control_character");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, "a\nb.jpg"), "control_character");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, std::string(MaxNameLength - 4, 'a') + ".jpg"), "");
	EXPECT_EQ(nameProblem(MediaKind::Snapshot, std::string(MaxNameLength - 3, 'a') + ".jpg"), "too_long");
}

TEST(MediaNames, GeneratedStemsFollowTheSeed)
{
	Poco::Timestamp at = Poco::Timestamp::fromEpochTime(1736951400) + 123000; // 2025-01-15T14:30:00.123Z
	EXPECT_EQ(generatedStem(MediaKind::Recording, "camera0", at), "camera0_2025-01-15_14-30-00");
	EXPECT_EQ(generatedStem(MediaKind::Snapshot, "camera0", at), "camera0_2025-01-15_14-30-00-123");
}

TEST(MediaNames, CamerasAndContentTypes)
{
	EXPECT_TRUE(validCamera("camera0"));
	EXPECT_FALSE(validCamera("/dev/video0"));
	EXPECT_FALSE(validCamera(""));
	EXPECT_EQ(contentType("mp4"), "video/mp4");
	EXPECT_EQ(contentType("jpg"), "image/jpeg");
	EXPECT_EQ(extensionOf("A.JPG"), "jpg");
}
