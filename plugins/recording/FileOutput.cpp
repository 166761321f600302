#include "FileOutput.h"
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace camsvc::recording {

namespace {

constexpr int BufferSize = 64 * 1024;

} // namespace

FileOutput::FileOutput(const std::string& path)
{
	_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644); // never an existing file or a planted link
	if (_fd < 0)
		throw std::system_error(errno, std::generic_category(), "cannot create " + path);
	auto* buffer = static_cast<unsigned char*>(av_malloc(BufferSize));
	_avio = buffer ? avio_alloc_context(buffer, BufferSize, 1, this, nullptr, &FileOutput::writePacket, &FileOutput::seek) : nullptr;
	if (!_avio)
	{
		av_free(buffer);
		::close(_fd);
		throw std::system_error(ENOMEM, std::generic_category(), "cannot allocate an AVIO context");
	}
}

FileOutput::~FileOutput()
{
	close();
}

int FileOutput::writePacket(void* opaque, media::AvioWriteBuffer buf, int size)
{
	auto* self = static_cast<FileOutput*>(opaque);
	if (self->_error)
		return AVERROR(self->_error);
	int done = 0;
	while (done < size)
	{
		ssize_t n = ::pwrite(self->_fd, buf + done, static_cast<std::size_t>(size - done), self->_position);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
		{
			self->_error = n < 0 ? errno : ENOSPC;
			return AVERROR(self->_error);
		}
		done += static_cast<int>(n);
		self->_position += n;
		if (static_cast<std::uint64_t>(self->_position) > self->_size)
			self->_size = static_cast<std::uint64_t>(self->_position);
	}
	return done;
}

std::int64_t FileOutput::seek(void* opaque, std::int64_t offset, int whence)
{
	auto* self = static_cast<FileOutput*>(opaque);
	switch (whence & ~AVSEEK_FORCE)
	{
	case AVSEEK_SIZE: return static_cast<std::int64_t>(self->_size);
	case SEEK_SET: self->_position = offset; break;
	case SEEK_CUR: self->_position += offset; break;
	case SEEK_END: self->_position = static_cast<std::int64_t>(self->_size) + offset; break;
	default: return AVERROR(EINVAL);
	}
	return self->_position;
}

void FileOutput::sync()
{
	if (_fd < 0)
		return;
	avio_flush(_avio);
	if (::fdatasync(_fd) != 0 && !_error)
		_error = errno;
}

bool FileOutput::commit()
{
	if (_fd < 0 || _error)
		return false;
	avio_flush(_avio);
	if (_error)
		return false;
	_committed = _size;
	return true;
}

bool FileOutput::rollback()
{
	// A write that failed part way (ENOSPC on the last free block) leaves the
	// head of a fragment in the file: players stop on it with a decode error
	// and the container claims media time that is not there. Cut it off.
	if (_fd < 0 || !_error || _size <= _committed)
		return false;
	if (::ftruncate(_fd, static_cast<off_t>(_committed)) != 0)
		return false;
	_size = _committed;
	_position = static_cast<std::int64_t>(_committed);
	return true;
}

void FileOutput::close()
{
	if (_fd < 0)
		return;
	sync();
	::close(_fd);
	_fd = -1;
	if (_avio)
	{
		av_freep(&_avio->buffer);
		avio_context_free(&_avio);
	}
}

} // namespace camsvc::recording
