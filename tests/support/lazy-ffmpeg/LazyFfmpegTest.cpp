//
// LazyFfmpegTest.cpp
//
// camsvc::ffmpeg's stubs: FFmpeg is not loaded until a function is first
// called, and a bound stub behaves exactly like the function — integer,
// struct, floating-point, variadic and stack arguments, returned structs,
// and many threads binding the same function at once. This binary links
// camsvc::ffmpeg only, never FFmpeg itself.
//

#include <gtest/gtest.h>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <dlfcn.h>
#include <string>
#include <thread>
#include <vector>

extern "C" {
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libavutil/rational.h>
#include <libswscale/swscale.h>
}

#ifdef CAMSVC_LAZY_FFMPEG
#include "LazyFfmpeg.h"
#endif

namespace {

bool loaded(const char* soname)
{
	void* handle = ::dlopen(soname, RTLD_LAZY | RTLD_NOLOAD);
	if (handle)
		::dlclose(handle);
	return handle != nullptr;
}

std::string logged;

void keepLine(void*, int, const char* format, va_list args)
{
	char line[256];
	std::vsnprintf(line, sizeof line, format, args);
	logged += line;
}

// First: nothing may have called FFmpeg before this test.
TEST(LazyFfmpeg, NothingIsLoadedBeforeTheFirstCallThenEverythingIs)
{
#ifndef CAMSVC_LAZY_FFMPEG
	// Built with CAMSVC_LAZY_FFMPEG=OFF: FFmpeg is linked directly, so it is
	// loaded from the start, and by the dynamic linker, not the stubs.
	Dl_info where{};
	ASSERT_NE(::dladdr(reinterpret_cast<void*>(&av_gcd), &where), 0);
	ASSERT_NE(where.dli_fname, nullptr);
	EXPECT_NE(std::string(where.dli_fname).find("libavutil.so"), std::string::npos) << where.dli_fname;
	EXPECT_TRUE(loaded(where.dli_fname));
	EXPECT_EQ(av_gcd(12, 18), 6);
#else
	for (int i = 0; camsvc::lazyffmpeg::libraries[i]; ++i)
		EXPECT_FALSE(loaded(camsvc::lazyffmpeg::libraries[i])) << camsvc::lazyffmpeg::libraries[i];
	EXPECT_EQ(av_gcd(12, 18), 6);
	for (int i = 0; camsvc::lazyffmpeg::libraries[i]; ++i)
		EXPECT_TRUE(loaded(camsvc::lazyffmpeg::libraries[i])) << camsvc::lazyffmpeg::libraries[i];
#endif
}

TEST(LazyFfmpeg, StructAndFloatingPointArgumentsAndResults)
{
	// AVRational travels packed in one register; double in xmm0.
	EXPECT_EQ(av_rescale_q(3, AVRational{1, 25}, AVRational{1, 90000}), 10800);
	AVRational q = av_d2q(0.75, 100);
	EXPECT_EQ(q.num, 3);
	EXPECT_EQ(q.den, 4);
	EXPECT_DOUBLE_EQ(av_q2d(av_mul_q(AVRational{1, 2}, AVRational{2, 3})), 1.0 / 3.0);
	EXPECT_EQ(av_compare_ts(1, AVRational{1, 2}, 2, AVRational{1, 3}), -1); // 0.5 s before 0.67 s
}

TEST(LazyFfmpeg, VariadicCallsKeepTheirFloatingPointArguments)
{
	// av_log is variadic: rax carries the number of vector registers used,
	// xmm0..7 the doubles. Both must survive the first (binding) call.
	av_log_set_callback(keepLine);
	av_log_set_level(AV_LOG_INFO);
	av_log(nullptr, AV_LOG_INFO, "%d %.2f %s %.3f %d %.1f %.1f %.1f %.1f %.1f", 7, 1.25, "x", 2.5, 9, 1.0, 2.0, 3.0, 4.0, 5.0);
	av_log_set_callback(av_log_default_callback);
	EXPECT_EQ(logged, "7 1.25 x 2.500 9 1.0 2.0 3.0 4.0 5.0");
}

TEST(LazyFfmpeg, StackArgumentsBeyondTheSixthArePassedThrough)
{
	// sws_getContext takes ten arguments: four go on the stack.
	double params[2] = {SWS_PARAM_DEFAULT, SWS_PARAM_DEFAULT};
	SwsContext* sws = sws_getContext(64, 48, AV_PIX_FMT_YUV420P, 32, 24, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, params);
	ASSERT_NE(sws, nullptr);
	sws_freeContext(sws);
	av_log_set_level(AV_LOG_QUIET);
	EXPECT_EQ(sws_getContext(64, 48, AV_PIX_FMT_YUV420P, 0, 24, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr), nullptr)
		<< "a zero width reaches the function as zero";
}

TEST(LazyFfmpeg, ManyThreadsBindingOneFunctionAtOnce)
{
	std::atomic<bool> go{false};
	std::atomic<int> right{0};
	std::vector<std::thread> threads;
	for (int t = 0; t < 16; ++t)
		threads.emplace_back([&, t] {
			while (!go)
				std::this_thread::yield();
			for (int i = 1; i <= 1000; ++i) // av_rescale: not called by any test before this one
				if (av_rescale(i, t + 1, 1) == static_cast<int64_t>(i) * (t + 1))
					++right;
		});
	go = true;
	for (auto& t: threads)
		t.join();
	EXPECT_EQ(right, 16 * 1000);
}

} // namespace
