//
// EndReason.h
//
// Why a recording ended: the word in recording_status_update's "reason" and
// whether the end is an error (an ERROR notification precedes STOPPED).
//

#ifndef CAMSVC_RECORDING_ENDREASON_H
#define CAMSVC_RECORDING_ENDREASON_H

namespace camsvc::recording {

enum class EndReason
{
	Requested,       // stop_recording
	DurationReached, // the requested duration is recorded
	MaxDuration,     // no duration was asked and recording.max_duration_seconds is reached
	Shutdown,        // the service stops
	CameraLost,      // the device vanished or the network source went away
	CameraError,     // the source failed
	CameraStopped,   // the camera's pipeline stopped under the recording
	StreamChanged,   // the pipeline restarted with another size or codec
	StorageFull,     // ENOSPC, EDQUOT, EFBIG while writing
	WriteError       // any other write failure
};

inline const char* endReasonName(EndReason r)
{
	switch (r)
	{
	case EndReason::Requested:       return "requested";
	case EndReason::DurationReached: return "duration_reached";
	case EndReason::MaxDuration:     return "max_duration";
	case EndReason::Shutdown:        return "shutdown";
	case EndReason::CameraLost:      return "camera_lost";
	case EndReason::CameraError:     return "camera_error";
	case EndReason::CameraStopped:   return "camera_stopped";
	case EndReason::StreamChanged:   return "stream_changed";
	case EndReason::StorageFull:     return "storage_full";
	default:                         return "write_error";
	}
}

inline bool isError(EndReason r)
{
	return r != EndReason::Requested && r != EndReason::DurationReached && r != EndReason::MaxDuration && r != EndReason::Shutdown;
}

} // namespace camsvc::recording

#endif // CAMSVC_RECORDING_ENDREASON_H
