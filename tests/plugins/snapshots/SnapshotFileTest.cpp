//
// SnapshotFileTest.cpp
//
// Writing a snapshot's file: created new, never over an existing file and
// never through a link planted at its temporary name.
//

#include "SnapshotTaker.h"
#include <Poco/TemporaryFile.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace camsvc;
using namespace camsvc::snapshots;

namespace {

class SnapshotFileTest: public ::testing::Test
{
protected:
	SnapshotFileTest() { std::filesystem::create_directories(dir); }
	~SnapshotFileTest() override { std::filesystem::remove_all(dir); }

	std::string file(const std::string& name) const { return dir + "/" + name; }
	static std::string read(const std::string& path)
	{
		std::ifstream in(path, std::ios::binary);
		std::ostringstream out;
		out << in.rdbuf();
		return out.str();
	}
	int errorCode(const std::string& path)
	{
		try
		{
			writeNewFile(path, bytes);
		}
		catch (const sdk::RpcError& e)
		{
			return static_cast<int>(e.code());
		}
		return 0;
	}

	const std::string dir = Poco::TemporaryFile::tempName();
	const std::vector<std::uint8_t> bytes{0xFF, 0xD8, 0xFF, 0xD9};
};

} // namespace

TEST_F(SnapshotFileTest, WritesANewFile)
{
	writeNewFile(file(".a.jpg.part"), bytes);
	EXPECT_EQ(read(file(".a.jpg.part")), std::string("\xFF\xD8\xFF\xD9", 4));
}

TEST_F(SnapshotFileTest, AnExistingFileIsNotTruncated)
{
	std::ofstream(file(".b.jpg.part")) << "keep me";
	EXPECT_EQ(errorCode(file(".b.jpg.part")), -32603);
	EXPECT_EQ(read(file(".b.jpg.part")), "keep me");
}

TEST_F(SnapshotFileTest, APlantedLinkIsNotFollowed)
{
	std::ofstream(file("victim")) << "keep me";
	std::filesystem::create_symlink(file("victim"), file(".c.jpg.part"));
	std::filesystem::create_symlink(file("absent"), file(".d.jpg.part"));
	EXPECT_EQ(errorCode(file(".c.jpg.part")), -32603);
	EXPECT_EQ(errorCode(file(".d.jpg.part")), -32603);
	EXPECT_EQ(read(file("victim")), "keep me");
	EXPECT_FALSE(std::filesystem::exists(file("absent")));
}
