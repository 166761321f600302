//
// PrivateFile.cpp
//

#include "PrivateFile.h"
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace camsvc::auth {

namespace {

std::string errnoText()
{
	return std::strerror(errno);
}

void writeAll(int fd, const std::string& content, const std::string& path)
{
	const char* p = content.data();
	std::size_t left = content.size();
	while (left > 0)
	{
		ssize_t n = ::write(fd, p, left);
		if (n < 0)
		{
			if (errno == EINTR) continue;
			throw Poco::WriteFileException(path, errnoText());
		}
		p += n;
		left -= static_cast<std::size_t>(n);
	}
	if (::fsync(fd) != 0)
		throw Poco::WriteFileException(path, errnoText());
}

void fillPrivate(int fd, const std::string& content, const std::string& path)
	/// Sets mode 0600 (open's mode is masked by umask), writes, syncs and
	/// closes fd; on failure closes and removes path, then throws.
{
	try
	{
		::fchmod(fd, 0600);
		writeAll(fd, content, path);
	}
	catch (...)
	{
		::close(fd);
		::unlink(path.c_str());
		throw;
	}
	::close(fd);
}

} // namespace

std::string randomBytes(std::size_t count)
{
	std::string out(count, '\0');
	std::size_t got = 0;
	while (got < count)
	{
		ssize_t n = ::getrandom(out.data() + got, count - got, 0);
		if (n < 0)
		{
			if (errno == EINTR) continue;
			throw Poco::IOException("getrandom", errnoText());
		}
		got += static_cast<std::size_t>(n);
	}
	return out;
}

std::string randomToken(std::size_t bytes)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << randomBytes(bytes);
	encoder.close();
	return out.str();
}

void writePrivateFile(const std::string& path, const std::string& content)
{
	std::string temp = path + ".tmp." + std::to_string(::getpid());
	int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		throw Poco::CreateFileException(temp, errnoText());
	fillPrivate(fd, content, temp);
	if (::rename(temp.c_str(), path.c_str()) != 0)
	{
		std::string error = errnoText();
		::unlink(temp.c_str());
		throw Poco::WriteFileException(path, error);
	}
}

bool createPrivateFile(const std::string& path, const std::string& content)
{
	int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
	{
		if (errno == EEXIST) return false;
		throw Poco::CreateFileException(path, errnoText());
	}
	fillPrivate(fd, content, path);
	return true;
}

std::string readFileTrimmed(const std::string& path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw Poco::OpenFileException(path);
	std::ostringstream content;
	content << in.rdbuf();
	return Poco::trimRight(content.str());
}

int fileMode(const std::string& path)
{
	struct stat st;
	if (::stat(path.c_str(), &st) != 0)
		throw Poco::FileNotFoundException(path, errnoText());
	return static_cast<int>(st.st_mode & 07777);
}

} // namespace camsvc::auth
