#include "SnapshotTaker.h"
#include "camsvc/sdk/Time.h"
#include <Poco/String.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace camsvc::snapshots {

using Poco::JSON::Object;
using sdk::RpcError;

namespace {

bool isJpeg(const std::string& ext)
{
	return ext == "jpg" || ext == "jpeg";
}

} // namespace

void writeNewFile(const std::string& path, const std::vector<std::uint8_t>& bytes)
{
	// O_EXCL|O_NOFOLLOW: the store's temporary name is ours alone, so
	// anything already there (a stale file, a link planted to make us
	// overwrite another file) is refused rather than truncated or followed.
	int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int error = fd < 0 ? errno : 0;
	std::size_t done = 0;
	while (!error && done < bytes.size())
	{
		ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			error = n < 0 ? errno : ENOSPC;
		else
			done += static_cast<std::size_t>(n);
	}
	if (fd >= 0 && ::close(fd) != 0 && !error)
		error = errno;
	if (!error)
		return;
	if (error == ENOSPC || error == EDQUOT || error == EFBIG)
		throw RpcError(sdk::ErrorCode::InsufficientStorage, "Insufficient storage space", "insufficient_storage");
	throw RpcError(sdk::ErrorCode::InternalError, std::string("Cannot write the snapshot: ") + std::strerror(error), "write_failed");
}

std::string extensionOf(const std::string& filename)
{
	auto dot = filename.rfind('.');
	if (dot == std::string::npos || dot + 1 == filename.size() || filename.find('/', dot) != std::string::npos)
		return {};
	return Poco::toLower(filename.substr(dot + 1));
}

SnapshotSettings SnapshotSettings::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	SnapshotSettings s;
	s.frameTimeout = std::chrono::milliseconds(std::clamp(config.getInt("snapshots.frame_timeout_ms", 3000), 100, 60000));
	s.jpegQuality = std::clamp(config.getInt("snapshots.jpeg_quality", s.jpegQuality), 1, 100);
	s.pngCompression = std::clamp(config.getInt("snapshots.png_compression", s.pngCompression), 0, 9);
	return s;
}

SnapshotTaker::SnapshotTaker(std::shared_ptr<sdk::CameraService> cameras, std::shared_ptr<sdk::MediaStore> store, SnapshotSettings settings):
	_cameras(std::move(cameras)), _store(std::move(store)), _settings(settings)
{
}

Object::Ptr SnapshotTaker::take(const SnapshotRequest& request)
{
	// The format: asked for, else the filename's, else JPEG; they must agree.
	std::string format = Poco::toLower(request.format);
	std::string nameExt = extensionOf(request.filename);
	if (!format.empty() && !isJpeg(format) && format != "png")
		throw RpcError::invalidParams("format", "unsupported_format", "format must be jpg or png");
	if (format.empty())
		format = nameExt == "png" ? "png" : "jpg";
	if (!request.filename.empty() && (isJpeg(nameExt) || nameExt == "png") && isJpeg(nameExt) != isJpeg(format))
		throw RpcError::invalidParams("filename", "extension_mismatch", "The filename's extension does not match the format");
	std::string extension = request.filename.empty() ? format : nameExt;

	auto camera = _cameras->require(request.device, true);
	_store->checkRoom(sdk::MediaKind::Snapshot)->throwIfRefused(false);

	// Validates the client's name (-32602) before we wait for a frame.
	// The store owns the reservation record: it is read here and passed back as *reservation.
	auto reservation = _store->reserve(sdk::MediaKind::Snapshot, camera->name, extension, request.filename);
	try
	{
		sdk::Frame frame = _cameras->latestFrame(camera->name, _settings.frameTimeout);
		Poco::Timestamp taken;
		ImageOptions options;
		options.format = format == "png" ? ImageFormat::Png : ImageFormat::Jpeg;
		options.quality = request.quality > 0 ? request.quality : _settings.jpegQuality;
		options.pngCompression = _settings.pngCompression;
		std::vector<std::uint8_t> bytes = encodeImage(*frame, options);
		writeNewFile(reservation->tempPath, bytes);
		_store->complete(*reservation, bytes.size(), 0, true);

		Object::Ptr r = new Object;
		r->set("device", camera->device);
		r->set("filename", reservation->filename);
		r->set("status", "completed");
		r->set("timestamp", sdk::rfc3339(taken));
		r->set("file_size", static_cast<Poco::UInt64>(bytes.size()));
		r->set("file_path", reservation->path);
		r->set("format", options.format == ImageFormat::Png ? "png" : "jpg");
		r->set("width", frame->width);
		r->set("height", frame->height);
		return r;
	}
	catch (const RpcError&)
	{
		_store->release(*reservation);
		throw;
	}
	catch (const std::exception& e)
	{
		_store->release(*reservation);
		throw RpcError(sdk::ErrorCode::InternalError, std::string("Snapshot failed: ") + e.what(), "encode_failed");
	}
}

} // namespace camsvc::snapshots
