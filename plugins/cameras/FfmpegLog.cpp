//
// FfmpegLog.cpp
//

#include "FfmpegLog.h"
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <map>
#include <mutex>
#include <regex>

extern "C" {
#include <libavutil/log.h>
}

namespace camsvc::cameras {

namespace {

std::atomic<Poco::Logger*> target{nullptr};
std::mutex recentMutex;
std::map<std::string, std::chrono::steady_clock::time_point> recent; // line (addresses masked) -> last logged
constexpr std::size_t MaxRecent = 256;
constexpr auto RepeatWindow = std::chrono::seconds(60);

bool repeated(const std::string& line)
	/// Seen within the window; remembers it either way (bounded: the oldest goes).
{
	static const std::regex address("0x[0-9a-fA-F]+");
	std::string key = std::regex_replace(line, address, "0x");
	auto now = std::chrono::steady_clock::now();
	std::lock_guard lock(recentMutex);
	auto it = recent.find(key);
	bool seen = it != recent.end() && now - it->second < RepeatWindow;
	if (it == recent.end() && recent.size() >= MaxRecent)
	{
		auto oldest = recent.begin();
		for (auto i = recent.begin(); i != recent.end(); ++i)
			if (i->second < oldest->second)
				oldest = i;
		recent.erase(oldest);
	}
	if (!seen)
		recent[key] = now;
	return seen;
}

void callback(void* context, int level, const char* format, va_list args)
{
	Poco::Logger* logger = target.load();
	if (!logger)
		return;
	int priority = ffmpegLogPriority(level);
	if (!logger->is(priority))
		return;
	thread_local std::string pending;
	thread_local int printPrefix = 1;
	char text[1024];
	va_list copy;
	va_copy(copy, args);
	av_log_format_line2(context, level, format, copy, text, sizeof text, &printPrefix);
	va_end(copy);
	pending += text;
	if (pending.empty() || (pending.back() != '\n' && pending.size() < 4096))
		return; // a fragment: the line goes out when it is complete
	std::string line;
	line.swap(pending);
	while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
		line.pop_back();
	if (line.empty())
		return;
	if (repeated(line) && priority < Poco::Message::PRIO_DEBUG)
		priority = Poco::Message::PRIO_DEBUG;
	logger->log(Poco::Message(logger->name(), "ffmpeg: " + line, static_cast<Poco::Message::Priority>(priority)));
}

} // namespace

int ffmpegLogPriority(int avLevel)
{
	if (avLevel <= AV_LOG_FATAL)
		return Poco::Message::PRIO_CRITICAL;
	if (avLevel <= AV_LOG_ERROR)
		return Poco::Message::PRIO_ERROR;
	if (avLevel <= AV_LOG_WARNING)
		return Poco::Message::PRIO_WARNING;
	if (avLevel <= AV_LOG_VERBOSE)
		return Poco::Message::PRIO_DEBUG;
	return Poco::Message::PRIO_TRACE;
}

void routeFfmpegLog(Poco::Logger& logger)
{
	static std::once_flag once;
	std::call_once(once, [&] {
		target = &logger;
		av_log_set_level(logger.trace() ? AV_LOG_TRACE : logger.debug() ? AV_LOG_VERBOSE : AV_LOG_WARNING);
		av_log_set_callback(callback);
	});
}

void restoreFfmpegLog()
{
	if (!target.exchange(nullptr))
		return; // never installed: FFmpeg may not even be loaded
	// No callback rather than av_log_default_callback: with the lazy FFmpeg
	// stubs that address is this plugin's, and it may be unloaded next.
	av_log_set_level(AV_LOG_QUIET);
	av_log_set_callback(nullptr);
}

} // namespace camsvc::cameras
