#include "MediaProbe.h"
#include <mutex>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/error.h>
}

namespace camsvc::storage {

namespace {

std::string avError(int code)
{
	char text[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(code, text, sizeof(text));
	return text;
}

} // namespace

ProbeResult probeMedia(const std::string& path)
{
	static std::once_flag quiet;
	std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });

	ProbeResult result;
	AVFormatContext* context = nullptr;
	int rc = avformat_open_input(&context, path.c_str(), nullptr, nullptr);
	if (rc < 0)
	{
		result.error = "open: " + avError(rc);
		return result;
	}
	rc = avformat_find_stream_info(context, nullptr);
	if (rc < 0 || context->nb_streams == 0)
	{
		result.error = rc < 0 ? "stream info: " + avError(rc) : "no streams";
		avformat_close_input(&context);
		return result;
	}
	if (context->duration != AV_NOPTS_VALUE && context->duration > 0)
		result.duration = static_cast<double>(context->duration) / AV_TIME_BASE;
	else
		for (unsigned i = 0; i < context->nb_streams; ++i)
		{
			const AVStream* stream = context->streams[i];
			if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
				result.duration = std::max(result.duration, static_cast<double>(stream->duration) * av_q2d(stream->time_base));
		}
	AVPacket* packet = av_packet_alloc();
	rc = av_read_frame(context, packet);
	av_packet_free(&packet);
	avformat_close_input(&context);
	if (rc < 0)
	{
		result.error = "no packet: " + avError(rc);
		result.duration = 0;
		return result;
	}
	result.decodable = true;
	return result;
}

} // namespace camsvc::storage
