//
// FfmpegCamera.h
//
// A real ffmpeg process playing a network camera: it listens on a loopback
// TCP port and serves MPEG-TS once a tcp:// camera source connects.
//

#ifndef CAMSVC_TEST_FFMPEGCAMERA_H
#define CAMSVC_TEST_FFMPEGCAMERA_H

#include "support/ChildProcess.h"
#include <memory>
#include <string>
#include <vector>

namespace camsvc::test {

inline std::unique_ptr<ChildProcess> ffmpegTcpCamera(int port, const std::string& log)
	/// ffmpeg listening on tcp://127.0.0.1:port, serving 320x240@15 H.264 in MPEG-TS at real time.
{
	return std::make_unique<ChildProcess>(std::vector<std::string>{"ffmpeg", "-nostdin", "-loglevel", "warning", "-re",
		"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
		"-g", "15", "-f", "mpegts", "tcp://127.0.0.1:" + std::to_string(port) + "?listen=1"}, log);
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_FFMPEGCAMERA_H
