//
// SeedTypes.h
//
// The seed API's own client types (shared/seeds/api-reference-v2.md, "Go
// Client Example" of each method), field for field, with their JSON types,
// and a strict decoder for each (StrictDecoder.h). A result that decodes
// here decodes in the seed's typed client.
//

#ifndef CAMSVC_TEST_SEEDTYPES_H
#define CAMSVC_TEST_SEEDTYPES_H

#include "StrictDecoder.h"
#include <optional>

namespace camsvc::test::seed {

struct AuthResponse
{
	bool authenticated = false;
	std::string role;
	std::vector<std::string> permissions;
	Poco::Timestamp expiresAt;
	std::string sessionId;
};

struct CameraMetrics
{
	std::int64_t bytesSent = 0; // int64
	std::int64_t readers = 0;   // int
	std::int64_t uptime = 0;    // int64
};

struct CameraCapabilities
{
	std::vector<std::string> formats;
	std::vector<std::string> resolutions;
};

struct CameraStatus
	/// get_camera_status, camera_status_update; CameraInfo is the same without
	/// metrics and capabilities (both omitempty pointers).
{
	std::string device;
	std::string status;
	std::string name;
	std::string resolution;
	std::int64_t fps = 0; // int
	std::map<std::string, std::string> streams;
	std::optional<CameraMetrics> metrics;
	std::optional<CameraCapabilities> capabilities;
};

struct CameraListResponse
{
	std::vector<CameraStatus> cameras;
	std::int64_t total = 0;
	std::int64_t connected = 0;
};

struct SnapshotResponse
{
	std::string device;
	std::string filename;
	std::string status;
	Poco::Timestamp timestamp;
	std::int64_t fileSize = 0;
	std::string filePath;
};

struct StartRecordingResponse
{
	std::string device;
	std::string sessionId;
	std::string filename;
	std::string status;
	Poco::Timestamp startTime;
	std::int64_t duration = 0; // int
	std::string format;
};

struct StopRecordingResponse
{
	std::string device;
	std::string sessionId;
	std::string filename;
	std::string status;
	Poco::Timestamp startTime;
	Poco::Timestamp endTime;
	std::int64_t duration = 0; // int
	std::int64_t fileSize = 0; // int64
};

struct FileInfo
{
	std::string filename;
	std::int64_t fileSize = 0;
	Poco::Timestamp modifiedTime;
	std::string downloadUrl;
};

struct ListRecordingsResponse
{
	std::vector<FileInfo> files;
	std::int64_t total = 0;
	std::int64_t limit = 0;
	std::int64_t offset = 0;
};

struct SystemMetrics
{
	std::int64_t activeConnections = 0;
	std::int64_t totalRequests = 0;
	double averageResponseTime = 0;
	double errorRate = 0;
	double memoryUsage = 0;
	double cpuUsage = 0;
	std::int64_t goroutines = 0;
	std::int64_t heapAlloc = 0;
};

struct RecordingStatus
	/// recording_status_update (the seed's example: device, status, filename, duration 0).
{
	std::string device;
	std::string status;
	std::string filename;
	std::int64_t duration = 0; // int
};

struct RpcErrorObject
{
	std::int64_t code = 0;
	std::string message;
};

AuthResponse decodeAuthResponse(StrictDecoder d);
CameraStatus decodeCameraStatus(StrictDecoder d, bool withDetails);
	/// withDetails: metrics and capabilities must be there (get_camera_status
	/// documents them; they are omitempty in the type).
CameraListResponse decodeCameraListResponse(StrictDecoder d);
SnapshotResponse decodeSnapshotResponse(StrictDecoder d);
StartRecordingResponse decodeStartRecordingResponse(StrictDecoder d);
StopRecordingResponse decodeStopRecordingResponse(StrictDecoder d);
ListRecordingsResponse decodeListRecordingsResponse(StrictDecoder d);
SystemMetrics decodeSystemMetrics(StrictDecoder d);
RecordingStatus decodeRecordingStatus(StrictDecoder d);
RpcErrorObject decodeRpcError(StrictDecoder d);

} // namespace camsvc::test::seed

#endif // CAMSVC_TEST_SEEDTYPES_H
