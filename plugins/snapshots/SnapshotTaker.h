//
// SnapshotTaker.h
//
// take_snapshot's work: the camera's latest decoded frame (starting an idle
// pipeline, bounded wait), encoded as JPEG or PNG, written under the media
// store's temporary name and published by rename, so a listed snapshot is
// always complete and an existing file is never overwritten. Thread-safe:
// concurrent calls only share the services, which are thread-safe.
//

#ifndef CAMSVC_SNAPSHOTS_SNAPSHOTTAKER_H
#define CAMSVC_SNAPSHOTS_SNAPSHOTTAKER_H

#include "ImageEncoder.h"
#include "camsvc/sdk/CameraService.h"
#include "camsvc/sdk/MediaStore.h"
#include <Poco/JSON/Object.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace camsvc::snapshots {

struct SnapshotSettings
{
	std::chrono::milliseconds frameTimeout{3000};
	int jpegQuality = 90;
	int pngCompression = 3;

	static SnapshotSettings fromConfig(const Poco::Util::AbstractConfiguration& config);
		/// snapshots.* keys (docs/snapshots.md).
};

struct SnapshotRequest
{
	std::string device;    // "/dev/video0", "camera0", a source id
	std::string filename;  // empty: generated
	std::string format;    // "jpg", "jpeg", "png" or empty (from filename, else jpg)
	int quality = 0;       // 1..100, 0: the configured default
};

class SnapshotTaker
{
public:
	SnapshotTaker(std::shared_ptr<sdk::CameraService> cameras, std::shared_ptr<sdk::MediaStore> store, SnapshotSettings settings);

	Poco::JSON::Object::Ptr take(const SnapshotRequest& request);
		/// The take_snapshot result: device, filename, status "completed",
		/// timestamp, file_size, file_path (and format, width, height).
		/// Throws RpcError: -32004 camera unknown or disconnected, -32007 no
		/// room, -32602 bad filename/format, -32603 no frame in time.
		/// Blocks up to the frame timeout: call from a worker thread.

private:
	const std::shared_ptr<sdk::CameraService> _cameras;
	const std::shared_ptr<sdk::MediaStore> _store;
	const SnapshotSettings _settings;
};

std::string extensionOf(const std::string& filename);
	/// Lower-case extension without the dot, "" if none.

void writeNewFile(const std::string& path, const std::vector<std::uint8_t>& bytes);
	/// Creates path (which must not exist: an existing file or link there is
	/// refused, never truncated or followed) and writes bytes. Throws
	/// RpcError -32007 for ENOSPC/EDQUOT/EFBIG, -32603 write_failed otherwise.

} // namespace camsvc::snapshots

#endif // CAMSVC_SNAPSHOTS_SNAPSHOTTAKER_H
