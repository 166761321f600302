#include "RtspPublisher.h"
#include "camsvc/sdk/PeriodicTask.h"
#include "camsvc/sdk/Redact.h"

extern "C" {
#include <libavformat/avformat.h>
}

namespace camsvc::mediamtx {

namespace {

constexpr std::size_t MaxQueuedBytes = 8 * 1024 * 1024;

std::string averror(int code)
{
	char text[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(code, text, sizeof text);
	return text;
}

} // namespace

struct RtspPublisher::Output
{
	AVFormatContext* context = nullptr;
	bool headerWritten = false;

	~Output()
	{
		if (context)
		{
			if (headerWritten)
				av_write_trailer(context);
			avformat_free_context(context);
		}
	}
};

RtspPublisher::RtspPublisher(std::string url, Poco::Logger& logger, std::chrono::milliseconds backoffInitial,
	std::chrono::milliseconds backoffMax):
	_url(std::move(url)), _logger(logger), _backoffInitial(backoffInitial), _backoffMax(backoffMax)
{
	_thread = std::thread([this] { run(); });
}

RtspPublisher::~RtspPublisher()
{
	stop();
	for (AVPacket* p: _queue)
		av_packet_free(&p);
}

void RtspPublisher::stop()
{
	sdk::stopThread(_thread, _mutex, _changed, _stopping);
}

void RtspPublisher::onStreamStart(const sdk::StreamInfo& info)
{
	std::lock_guard lock(_mutex);
	_info = info;
	_haveInfo = true;
	_needKeyframe = true;
	++_generation;
	_changed.notify_all();
}

void RtspPublisher::onPacket(const AVPacket& packet)
{
	std::lock_guard lock(_mutex);
	if (_queuedBytes + static_cast<std::size_t>(packet.size) > MaxQueuedBytes)
	{
		// The server is too slow or away: drop, and restart at a keyframe.
		for (AVPacket* p: _queue)
			av_packet_free(&p);
		_queue.clear();
		_queuedBytes = 0;
		_needKeyframe = true;
	}
	if (_needKeyframe && !(packet.flags & AV_PKT_FLAG_KEY))
		return;
	_needKeyframe = false;
	_queue.push_back(av_packet_clone(&packet));
	_queuedBytes += static_cast<std::size_t>(packet.size);
	_changed.notify_all();
}

void RtspPublisher::onStreamEnd(sdk::StreamEnd, const std::string&)
{
	std::lock_guard lock(_mutex);
	_haveInfo = false;
	++_generation;
	_changed.notify_all();
}

PublisherStats RtspPublisher::stats() const
{
	std::lock_guard lock(_mutex);
	return _stats;
}

bool RtspPublisher::waitBackoff(std::chrono::milliseconds duration)
{
	std::unique_lock lock(_mutex);
	_changed.wait_for(lock, duration, [this] { return _stopping; });
	return !_stopping;
}

bool RtspPublisher::waitForStream(sdk::StreamInfo& info, std::uint64_t& generation)
{
	std::unique_lock lock(_mutex);
	_changed.wait(lock, [this] { return _stopping || (_haveInfo && !_queue.empty()); });
	if (_stopping)
		return false;
	info = _info;
	generation = _generation;
	return true;
}

int RtspPublisher::openOutput(Output& out, const sdk::StreamInfo& info)
{
	int rc = avformat_alloc_output_context2(&out.context, nullptr, "rtsp", _url.c_str());
	if (rc < 0)
		return rc;
	out.context->interrupt_callback.callback = [](void* self) -> int {
		auto* p = static_cast<RtspPublisher*>(self);
		std::lock_guard lock(p->_mutex);
		return p->_stopping;
	};
	out.context->interrupt_callback.opaque = this;
	AVStream* stream = avformat_new_stream(out.context, nullptr);
	avcodec_parameters_copy(stream->codecpar, info.codecParameters.get());
	stream->codecpar->codec_tag = 0;
	stream->time_base = info.timeBase;
	AVDictionary* options = nullptr;
	av_dict_set(&options, "rtsp_transport", "tcp", 0);
	av_dict_set(&options, "timeout", "5000000", 0);
	rc = avformat_write_header(out.context, &options);
	av_dict_free(&options);
	if (rc >= 0)
		out.headerWritten = true;
	return rc;
}

void RtspPublisher::connected(std::chrono::steady_clock::time_point lostAt)
{
	{
		std::lock_guard lock(_mutex);
		_stats.connected = true;
		++_stats.connects;
		if (lostAt != std::chrono::steady_clock::time_point{})
			_stats.lastReconnectSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - lostAt).count();
	}
	_logger.information("publishing to %s", sdk::redactUrl(_url)); // mediamtx.rtsp.url may carry credentials
}

std::string RtspPublisher::sendQueued(Output& out, const sdk::StreamInfo& info, std::uint64_t generation)
{
	AVRational streamBase = out.context->streams[0]->time_base;
	std::string failure;
	for (;;)
	{
		AVPacket* packet = nullptr;
		{
			std::unique_lock lock(_mutex);
			_changed.wait(lock, [&] { return _stopping || !_queue.empty() || _generation != generation; });
			if (_stopping || _generation != generation)
				break;
			packet = _queue.front();
			_queue.pop_front();
			_queuedBytes -= static_cast<std::size_t>(packet->size);
		}
		av_packet_rescale_ts(packet, info.timeBase, streamBase);
		packet->stream_index = 0;
		int size = packet->size;
		int rc = av_write_frame(out.context, packet);
		av_packet_free(&packet);
		if (rc < 0)
		{
			failure = "publishing to " + sdk::redactUrl(_url) + " failed: " + averror(rc);
			break;
		}
		std::lock_guard lock(_mutex);
		++_stats.packetsSent;
		_stats.bytesSent += static_cast<std::uint64_t>(size);
		if (_stats.firstPacketSeconds < 0)
			_stats.firstPacketSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - _created).count();
	}
	std::lock_guard lock(_mutex);
	_stats.connected = false;
	return failure;
}

void RtspPublisher::dropQueue()
{
	// What was queued is stale by the time the server is back: start over at a keyframe.
	std::lock_guard lock(_mutex);
	for (AVPacket* p: _queue)
		av_packet_free(&p);
	_queue.clear();
	_queuedBytes = 0;
	_needKeyframe = true;
}

void RtspPublisher::run()
{
	auto backoff = _backoffInitial;
	std::chrono::steady_clock::time_point lostAt{};
	std::string lastFailure; // logged at warning once; repeats at debug until it changes or publishing works
	sdk::StreamInfo info;
	std::uint64_t generation = 0;
	while (waitForStream(info, generation))
	{
		Output out;
		std::string failure;
		int rc = openOutput(out, info);
		if (rc < 0)
		{
			failure = "cannot publish to " + sdk::redactUrl(_url) + ": " + averror(rc);
		}
		else
		{
			connected(lostAt);
			backoff = _backoffInitial;
			lastFailure.clear();
			failure = sendQueued(out, info, generation);
		}
		if (failure.empty())
			continue; // stopped, or new stream parameters: reopen at once
		lostAt = std::chrono::steady_clock::now();
		if (failure != lastFailure)
			_logger.warning("%s; retrying (backoff up to %Ld ms)", failure, static_cast<Poco::Int64>(_backoffMax.count()));
		else
			_logger.debug("%s; retrying in %Ld ms", failure, static_cast<Poco::Int64>(backoff.count()));
		lastFailure = failure;
		dropQueue();
		if (!waitBackoff(backoff))
			return;
		backoff = std::min(backoff * 2, _backoffMax);
	}
}

} // namespace camsvc::mediamtx
