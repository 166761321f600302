//
// LazyFfmpeg.h
//
// The run-time half of camsvc::ffmpeg's stubs (see CMakeLists.txt): the
// generated tables and the function that binds a stub on its first call.
//

#ifndef CAMSVC_LAZYFFMPEG_H
#define CAMSVC_LAZYFFMPEG_H

namespace camsvc::lazyffmpeg {

struct Function
{
	const char* name;
	int library; // index in libraries
};

extern const char* const libraries[];  // sonames in dependency order, null-terminated
extern const Function functions[];     // in slot order, null-terminated

} // namespace camsvc::lazyffmpeg

// Hidden: every plugin linking camsvc::ffmpeg has its own slots and stubs.
extern "C" __attribute__((visibility("hidden"))) void* camsvc_lazy_ffmpeg_slots[];

extern "C" __attribute__((visibility("hidden"))) void* camsvc_lazy_ffmpeg_resolve(unsigned index);
	/// Called by the binder with the stub's index: loads the libraries once
	/// per process, stores the function's address in its slot, returns it.
	/// A library or function that cannot be found ends the process with a
	/// message: there is no caller to report it to.

extern "C" __attribute__((visibility("hidden"))) const char* camsvc_lazy_ffmpeg_check();
	/// Without loading anything: finds every library where dlopen() will
	/// (LD_LIBRARY_PATH, then the build's FFmpeg directory) and reads its
	/// symbol table for every function a stub forwards to. nullptr when all
	/// are there, else one sentence naming the library and the missing
	/// function. A plugin calls it (FfmpegPlugin, requireFfmpeg()) before load(), so
	/// that a missing or changed FFmpeg skips the plugin instead of ending
	/// the process at the first call. Checked once per plugin.

extern "C" __attribute__((visibility("hidden"))) void camsvc_lazy_ffmpeg_preload();
	/// Loads the libraries now (once per process) instead of at the first
	/// call; the functions are still bound one by one on first use.

#endif // CAMSVC_LAZYFFMPEG_H
