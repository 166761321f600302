//
// Preload.h
//
// preloadFfmpeg(): load FFmpeg's libraries now rather than at the first
// FFmpeg call (which otherwise pays the ~100 ms of dlopen and relocation
// inside a client's first take_snapshot or start_recording). Meant for a
// background thread once the service is up (ffmpeg.preload); costs the
// libraries' resident memory from then on. A no-op when FFmpeg is linked
// directly (it was loaded with the plugin). requireFfmpeg(): the check that
// the installed FFmpeg has what the plugin was built for (FfmpegPlugin.h).
//

#ifndef CAMSVC_FFMPEG_PRELOAD_H
#define CAMSVC_FFMPEG_PRELOAD_H

#include <stdexcept>
#if CAMSVC_LAZY_FFMPEG
#include "LazyFfmpeg.h"
#endif

namespace camsvc {

inline void preloadFfmpeg()
{
#if CAMSVC_LAZY_FFMPEG
	camsvc_lazy_ffmpeg_preload();
#endif
}

inline void requireFfmpeg()
	/// Throws std::runtime_error naming the library and the function when the
	/// installed FFmpeg is not the one the plugin was built against, so the
	/// plugin is skipped with that one line rather than the daemon aborted at
	/// the first FFmpeg call; FfmpegPlugin's constructor calls it. Loads
	/// nothing. With FFmpeg linked directly the dynamic linker already
	/// refused the plugin.
{
#if CAMSVC_LAZY_FFMPEG
	if (const char* problem = camsvc_lazy_ffmpeg_check())
		throw std::runtime_error(problem);
#endif
}

} // namespace camsvc

#endif // CAMSVC_FFMPEG_PRELOAD_H
