//
// FfmpegPlugin.h
//
// The base of every plugin that uses FFmpeg: constructing it (the host does,
// just before load()) checks that the installed FFmpeg is the one the plugin
// was built against (requireFfmpeg(), Preload.h) and throws otherwise, so a
// missing or changed library skips the plugin with one log line naming the
// library and the missing function - never an abort at the first FFmpeg call.
// Header-only and inside the plugin: nothing of it crosses the ABI boundary.
//

#ifndef CAMSVC_FFMPEG_FFMPEGPLUGIN_H
#define CAMSVC_FFMPEG_FFMPEGPLUGIN_H

#include "Preload.h"
#include "camsvc/sdk/Plugin.h"

namespace camsvc {

class FfmpegPlugin: public sdk::Plugin
{
protected:
	FfmpegPlugin() { requireFfmpeg(); }
};

} // namespace camsvc

#endif // CAMSVC_FFMPEG_FFMPEGPLUGIN_H
