//
// SeedTypes.cpp
//

#include "SeedTypes.h"

namespace camsvc::test::seed {

AuthResponse decodeAuthResponse(StrictDecoder d)
{
	AuthResponse r;
	r.authenticated = d.boolean("authenticated");
	r.role = d.string("role");
	r.permissions = d.strings("permissions");
	r.expiresAt = d.time("expires_at");
	r.sessionId = d.string("session_id");
	return r;
}

CameraStatus decodeCameraStatus(StrictDecoder d, bool withDetails)
{
	CameraStatus c;
	c.device = d.string("device");
	c.status = d.string("status");
	c.name = d.string("name");
	c.resolution = d.string("resolution");
	c.fps = d.integer("fps");
	c.streams = d.stringMap("streams");
	if (withDetails || d.has("metrics"))
	{
		StrictDecoder m = d.object("metrics");
		c.metrics = CameraMetrics{m.integer("bytes_sent"), m.integer("readers"), m.integer("uptime")};
	}
	if (withDetails || d.has("capabilities"))
	{
		StrictDecoder k = d.object("capabilities");
		c.capabilities = CameraCapabilities{k.strings("formats"), k.strings("resolutions")};
	}
	return c;
}

CameraListResponse decodeCameraListResponse(StrictDecoder d)
{
	CameraListResponse r;
	for (auto& c: d.objects("cameras"))
		r.cameras.push_back(decodeCameraStatus(c, false));
	r.total = d.integer("total");
	r.connected = d.integer("connected");
	return r;
}

SnapshotResponse decodeSnapshotResponse(StrictDecoder d)
{
	SnapshotResponse r;
	r.device = d.string("device");
	r.filename = d.string("filename");
	r.status = d.string("status");
	r.timestamp = d.time("timestamp");
	r.fileSize = d.integer("file_size");
	r.filePath = d.string("file_path");
	return r;
}

StartRecordingResponse decodeStartRecordingResponse(StrictDecoder d)
{
	StartRecordingResponse r;
	r.device = d.string("device");
	r.sessionId = d.string("session_id");
	r.filename = d.string("filename");
	r.status = d.string("status");
	r.startTime = d.time("start_time");
	r.duration = d.integer("duration");
	r.format = d.string("format");
	return r;
}

StopRecordingResponse decodeStopRecordingResponse(StrictDecoder d)
{
	StopRecordingResponse r;
	r.device = d.string("device");
	r.sessionId = d.string("session_id");
	r.filename = d.string("filename");
	r.status = d.string("status");
	r.startTime = d.time("start_time");
	r.endTime = d.time("end_time");
	r.duration = d.integer("duration");
	r.fileSize = d.integer("file_size");
	return r;
}

ListRecordingsResponse decodeListRecordingsResponse(StrictDecoder d)
{
	ListRecordingsResponse r;
	for (auto& f: d.objects("files"))
		r.files.push_back(FileInfo{f.string("filename"), f.integer("file_size"), f.time("modified_time"), f.string("download_url")});
	r.total = d.integer("total");
	r.limit = d.integer("limit");
	r.offset = d.integer("offset");
	return r;
}

SystemMetrics decodeSystemMetrics(StrictDecoder d)
{
	SystemMetrics m;
	m.activeConnections = d.integer("active_connections");
	m.totalRequests = d.integer("total_requests");
	m.averageResponseTime = d.number("average_response_time");
	m.errorRate = d.number("error_rate");
	m.memoryUsage = d.number("memory_usage");
	m.cpuUsage = d.number("cpu_usage");
	m.goroutines = d.integer("goroutines");
	m.heapAlloc = d.integer("heap_alloc");
	return m;
}

RecordingStatus decodeRecordingStatus(StrictDecoder d)
{
	RecordingStatus r;
	r.device = d.string("device");
	r.status = d.string("status");
	r.filename = d.string("filename");
	r.duration = d.integer("duration");
	return r;
}

RpcErrorObject decodeRpcError(StrictDecoder d)
{
	return RpcErrorObject{d.integer("code"), d.string("message")};
}

} // namespace camsvc::test::seed
