//
// FfmpegLog.h
//
// FFmpeg's messages (libavformat, libavcodec, libavdevice's video4linux2,
// libx264 through libavcodec) go to the service's logger instead of
// stderr: av_log_set_callback(), one log line per FFmpeg line (fragments
// are joined per thread), levels mapped (PANIC/FATAL critical, ERROR error,
// WARNING warning, INFO and VERBOSE debug: FFmpeg's "info" is codec
// chatter, DEBUG/TRACE trace). The same line again within a minute goes
// to debug (as a retried failure's does), so a device that fails at every
// retry logs it once.
//

#ifndef CAMSVC_CAMERAS_FFMPEGLOG_H
#define CAMSVC_CAMERAS_FFMPEGLOG_H

#include <Poco/Logger.h>

namespace camsvc::cameras {

void routeFfmpegLog(Poco::Logger& logger);
	/// Installs the callback (once; later calls change nothing). Loads FFmpeg:
	/// call it where FFmpeg is about to be used anyway.
void restoreFfmpegLog();
	/// Before the plugin unloads: FFmpeg logs nothing afterwards.

int ffmpegLogPriority(int avLevel);
	/// The Poco::Message::Priority for an AV_LOG_* level.

} // namespace camsvc::cameras

#endif // CAMSVC_CAMERAS_FFMPEGLOG_H
