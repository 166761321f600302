//
// MediaFiles.h
//
// Files for the storage tests: temporary directories, files of chosen size
// and age, and real videos made by the ffmpeg CLI (installed by
// scripts/setup.sh) for the libavformat probe.
//

#ifndef CAMSVC_TEST_MEDIAFILES_H
#define CAMSVC_TEST_MEDIAFILES_H

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/time.h>
#include <unistd.h>

namespace camsvc::test {

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

} // namespace camsvc::test

#endif
