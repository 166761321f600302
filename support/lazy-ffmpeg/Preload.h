//
// Preload.h
//
// preloadFfmpeg(): load FFmpeg's libraries now rather than at the first
// FFmpeg call (which otherwise pays the ~100 ms of dlopen and relocation
// inside a client's first take_snapshot or start_recording). Meant for a
// background thread once the service is up (ffmpeg.preload); costs the
// libraries' resident memory from then on. A no-op when FFmpeg is linked
// directly (it was loaded with the plugin).
//

#ifndef CAMSVC_FFMPEG_PRELOAD_H
#define CAMSVC_FFMPEG_PRELOAD_H

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

} // namespace camsvc

#endif // CAMSVC_FFMPEG_PRELOAD_H
