//
// StorageTestUtil.h
//
// Helpers of the storage tests: a temporary media tree with a catalog and a
// library over it, files of chosen size and age, and real videos made by the
// ffmpeg CLI (installed by scripts/setup.sh) for the libavformat probe.
//

#ifndef CAMSVC_TEST_STORAGETESTUTIL_H
#define CAMSVC_TEST_STORAGETESTUTIL_H

#include "Catalog.h"
#include "MediaLibrary.h"
#include <Poco/Logger.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <sys/time.h>
#include <unistd.h>

namespace camsvc {
namespace test {

inline std::string freshDir(const std::string& prefix)
{
	std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
	if (!::mkdtemp(pattern.data()))
		throw std::runtime_error("mkdtemp failed");
	return pattern;
}

inline void writeFile(const std::string& path, std::size_t size, char fill = 'x')
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	std::string chunk(std::min<std::size_t>(size, 65536), fill);
	for (std::size_t left = size; left > 0;)
	{
		std::size_t n = std::min(left, chunk.size());
		out.write(chunk.data(), static_cast<std::streamsize>(n));
		left -= n;
	}
}

inline void setAge(const std::string& path, double ageSeconds)
	/// Sets the file's mtime (and atime) ageSeconds in the past.
{
	struct timeval now{};
	::gettimeofday(&now, nullptr);
	auto t = static_cast<time_t>(static_cast<double>(now.tv_sec) - ageSeconds);
	struct timeval times[2] = {{t, 0}, {t, 0}};
	::utimes(path.c_str(), times);
}

inline bool makeVideo(const std::string& path, int seconds)
	/// A real MPEG-4 video of `seconds` seconds at 10 fps, 64x48.
{
	std::string command = "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=duration=" + std::to_string(seconds)
		+ ":size=64x48:rate=10 -c:v mpeg4 '" + path + "' > /dev/null 2>&1";
	return std::system(command.c_str()) == 0;
}

struct MediaTree
	/// A temporary root with recordings/, snapshots/ and the catalog database.
{
	std::string root;
	std::unique_ptr<storage::Catalog> catalog;
	std::unique_ptr<storage::MediaLibrary> library;

	explicit MediaTree(storage::GuardConfig guard = {}): root(freshDir("camsvc-storage"))
	{
		open(guard);
	}

	~MediaTree()
	{
		library.reset();
		catalog.reset();
		std::filesystem::remove_all(root);
	}

	void open(storage::GuardConfig guard = {})
		/// (Re)opens catalog and library, like a restart.
	{
		library.reset();
		catalog.reset();
		catalog = std::make_unique<storage::Catalog>(root + "/storage.db");
		storage::LibraryConfig config{root + "/recordings", root + "/snapshots", guard};
		library = std::make_unique<storage::MediaLibrary>(*catalog, config, Poco::Logger::get("test.storage"));
	}

	sdk::MediaStore& store() { return *library; }
	std::string recordings() const { return library->directory(sdk::MediaKind::Recording); }
	std::string snapshots() const { return library->directory(sdk::MediaKind::Snapshot); }
};

} } // namespace camsvc::test

#endif
