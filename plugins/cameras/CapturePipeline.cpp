#include "CapturePipeline.h"
#include "DeviceInputs.h"
#include "FfmpegLog.h"
#include "camsvc/sdk/PeriodicTask.h"
#include <stdexcept>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>
}

namespace camsvc::cameras {

namespace {

constexpr AVRational MicrosecondBase{1, 1000000};

std::string averror(int code)
{
	char text[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(code, text, sizeof text);
	return text;
}

struct SourceFailure: std::runtime_error
{
	SourceFailure(const std::string& what, bool lost, std::string reason = "source_failed"):
		std::runtime_error(what), lost(lost), reason(std::move(reason)) {}
	bool lost;          // the source went away (vs. failed to open or decode)
	std::string reason; // machine-readable: "device_busy", "source_failed"
};

} // namespace

// Everything FFmpeg holds for one opened source; freed in one place.
struct CapturePipeline::Session
{
	AVFormatContext* input = nullptr;
	int stream = -1;
	AVCodecContext* decoder = nullptr;
	AVCodecContext* encoder = nullptr;
	SwsContext* scaler = nullptr;
	AVFrame* decoded = nullptr;
	AVFrame* converted = nullptr;
	AVPacket* packet = nullptr;
	AVPacket* encodedPacket = nullptr;
	AVCodecParserContext* keyParser = nullptr; // passthrough: finds the IDR frames a demuxer did not flag (video4linux2)
	bool passthrough = false;
	sdk::StreamInfo info;
	std::int64_t firstPts = AV_NOPTS_VALUE;  // source pts of the first frame (stream time base)
	std::int64_t loopOffset = 0;             // microseconds added after a file loop
	std::int64_t lastPts = AV_NOPTS_VALUE;   // last pts handed out (microseconds)
	std::int64_t wallStart = 0;              // av_gettime_relative() at the first frame

	~Session()
	{
		av_parser_close(keyParser);
		av_packet_free(&encodedPacket);
		av_packet_free(&packet);
		av_frame_free(&converted);
		av_frame_free(&decoded);
		sws_freeContext(scaler);
		avcodec_free_context(&encoder);
		avcodec_free_context(&decoder);
		avformat_close_input(&input);
	}
};

class CapturePipeline::SinkSubscription: public sdk::Subscription
{
public:
	SinkSubscription(CapturePipeline& pipeline, std::list<Sink>::iterator it): _pipeline(pipeline), _it(it) {}
	~SinkSubscription() override { _pipeline.unsubscribe(_it); }

private:
	CapturePipeline& _pipeline;
	std::list<Sink>::iterator _it;
};

CapturePipeline::CapturePipeline(std::string name, PipelineOptions options, StateCallback onState, Poco::Logger& logger):
	_name(std::move(name)), _options(std::move(options)), _onState(std::move(onState)), _logger(logger)
{
	std::lock_guard lock(_mutex);
	ensureThreadLocked();
}

CapturePipeline::~CapturePipeline()
{
	shutdown();
}

bool CapturePipeline::demandLocked() const
{
	return !_shutdown && _available
		&& (_options.always || _sinkCount.load() > 0 || std::chrono::steady_clock::now() < _leaseUntil);
}

void CapturePipeline::ensureThreadLocked()
{
	if (_threadRunning || !demandLocked())
		return;
	if (_thread.joinable())
		_thread.join(); // the previous run has returned (it cleared _threadRunning)
	_threadRunning = true;
	try
	{
		_thread = std::thread([this] { run(); });
	}
	catch (const std::system_error&)
	{
		_threadRunning = false; // out of threads now: the next demand tries again
		throw;
	}
}

std::unique_ptr<sdk::Subscription> CapturePipeline::subscribe(std::shared_ptr<sdk::PacketSink> sink)
{
	std::list<Sink>::iterator it;
	{
		std::lock_guard sinks(_sinkMutex);
		it = _sinks.insert(_sinks.end(), Sink{std::move(sink)});
		_sinkCount = static_cast<int>(_sinks.size());
	}
	_forceKeyframe = true; // a new sink starts at a keyframe: ask for one now
	std::lock_guard lock(_mutex);
	ensureThreadLocked();
	_changed.notify_all();
	return std::make_unique<SinkSubscription>(*this, it);
}

void CapturePipeline::unsubscribe(std::list<Sink>::iterator it)
{
	std::lock_guard sinks(_sinkMutex); // waits for a running callback: none runs after this returns
	_sinks.erase(it);
	_sinkCount = static_cast<int>(_sinks.size());
	_changed.notify_all();
}

sdk::RpcError CapturePipeline::noFrameLocked() const
{
	if (_failureReason == "device_busy")
		return sdk::cameraUnavailable(_name, "device_busy"); // another program holds the device
	return sdk::RpcError(sdk::ErrorCode::CameraNotFound, "No frame from the camera in time", "no_frame");
}

sdk::Frame CapturePipeline::latestFrame(std::chrono::milliseconds timeout)
{
	std::unique_lock lock(_mutex);
	if (!_available || _shutdown)
		throw sdk::RpcError(sdk::ErrorCode::CameraNotFound, "Camera not found or disconnected", "camera_disconnected");
	_leaseUntil = std::chrono::steady_clock::now() + _options.frameLease;
	ensureThreadLocked();
	_changed.notify_all();
	if (_latest && _open)
		return _latest;
	// A camera that just let a caller wait in vain fails the next ones at once
	// until it delivers (or the timeout has passed again): a silent camera
	// must not hold every worker of the service, one timeout after another.
	auto now = std::chrono::steady_clock::now();
	if (_silentSince && _frameCount == _framesWhenSilent && now - *_silentSince < timeout)
		throw noFrameLocked();
	std::uint64_t seen = _frameCount;
	if (!_changed.wait_for(lock, timeout, [&] { return (_frameCount > seen && _latest) || !_available || _shutdown; }) || !_latest)
	{
		_silentSince = std::chrono::steady_clock::now();
		_framesWhenSilent = _frameCount;
		throw noFrameLocked();
	}
	if (!_available || _shutdown)
		throw sdk::RpcError(sdk::ErrorCode::CameraNotFound, "Camera not found or disconnected", "camera_disconnected");
	return _latest;
}

void CapturePipeline::setAvailable(bool available)
{
	std::lock_guard lock(_mutex);
	_available = available;
	if (available)
		ensureThreadLocked();
	_changed.notify_all();
}

void CapturePipeline::shutdown()
{
	sdk::stopThread(_thread, _mutex, _changed, _shutdown);
}

PipelineStats CapturePipeline::stats() const
{
	PipelineStats s;
	s.running = _open;
	s.sinks = _sinkCount;
	s.bytes = _bytes;
	s.width = _width;
	s.height = _height;
	s.fps = _fps;
	if (s.running)
		s.uptimeSeconds = static_cast<double>(av_gettime_relative() - _openedAtMicros.load()) / 1e6;
	return s;
}

bool CapturePipeline::stopRequested() const
{
	std::lock_guard lock(_mutex);
	return !demandLocked();
}

bool CapturePipeline::waitFor(std::chrono::milliseconds duration)
	/// Sleeps unless demand ends first; true if still wanted afterwards.
{
	std::unique_lock lock(_mutex);
	_changed.wait_for(lock, duration, [this] { return _shutdown || !_available; });
	return demandLocked();
}

void CapturePipeline::run()
{
	auto backoff = _options.backoffInitial;
	std::string lastFailure; // logged at warning once; repeats at debug until it changes or capture works
	for (;;)
	{
		Session session;
		sdk::StreamEnd end = sdk::StreamEnd::Stopped;
		std::string detail, reason = "source_failed";
		try
		{
			openSession(session);
			backoff = _options.backoffInitial;
			lastFailure.clear();
			_failureReason.clear();
			_onState(sdk::CameraState::Connected, "", "");
			capture(session);
		}
		catch (const SourceFailure& e)
		{
			end = e.lost ? sdk::StreamEnd::SourceLost : sdk::StreamEnd::Error;
			detail = e.what();
			reason = e.reason;
		}
		catch (const std::exception& e)
		{
			end = sdk::StreamEnd::Error;
			detail = e.what();
		}
		_open = false;
		endStream(end, detail);
		if (end != sdk::StreamEnd::Stopped)
		{
			if (detail != lastFailure)
				_logger.warning("camera %s: %s; retrying (backoff up to %Ld ms)", _name, detail, static_cast<Poco::Int64>(_options.backoffMax.count()));
			else
				_logger.debug("camera %s: %s; retrying in %Ld ms", _name, detail, static_cast<Poco::Int64>(backoff.count()));
			lastFailure = detail;
			bool stillAvailable;
			{
				std::lock_guard lock(_mutex);
				stillAvailable = _available;
			}
			if (stillAvailable)
			{
				{
					std::lock_guard lock(_mutex);
					_failureReason = reason;
				}
				_onState(sdk::CameraState::Error, detail, reason);
			}
		}
		// Idle linger: a user coming back within it reuses the thread.
		bool again = end == sdk::StreamEnd::Stopped ? false : waitFor(backoff);
		if (end != sdk::StreamEnd::Stopped)
			backoff = std::min(backoff * 2, _options.backoffMax);
		std::lock_guard lock(_mutex);
		if (!again && !demandLocked())
		{
			_threadRunning = false;
			{
				std::lock_guard sinks(_sinkMutex);
				_latest.reset();
			}
			return;
		}
	}
}

void CapturePipeline::openInput(Session& s)
{
	const SourceSpec& src = _options.source;
	const AVInputFormat* format = nullptr;
	std::string loadError;
	if ((src.inputFormat == "lavfi" || src.inputFormat == "video4linux2") && !ensureDeviceInputs(&loadError))
		throw SourceFailure(loadError, false);
	if (!src.inputFormat.empty() && !(format = av_find_input_format(src.inputFormat.c_str())))
		throw SourceFailure("FFmpeg has no input format " + src.inputFormat, false);
	AVDictionary* options = nullptr;
	for (const auto& [k, v]: src.options)
		av_dict_set(&options, k.c_str(), v.c_str(), 0);
	s.input = avformat_alloc_context();
	s.input->interrupt_callback.callback = [](void* self) -> int {
		auto* p = static_cast<CapturePipeline*>(self);
		std::lock_guard lock(p->_mutex);
		return p->_shutdown || !p->_available;
	};
	s.input->interrupt_callback.opaque = this;
	int rc = avformat_open_input(&s.input, src.url.c_str(), format, &options);
	av_dict_free(&options);
	if (rc == AVERROR(EBUSY))
		throw SourceFailure("device busy: another program is using it", false, "device_busy");
	if (rc < 0)
		throw SourceFailure("cannot open source: " + averror(rc), src.kind == "v4l2");
	if ((rc = avformat_find_stream_info(s.input, nullptr)) < 0)
		throw SourceFailure("no stream info: " + averror(rc), false);
	s.stream = av_find_best_stream(s.input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
	if (s.stream < 0)
		throw SourceFailure("no video stream", false);
}

void CapturePipeline::openDecoder(Session& s)
{
	AVStream* stream = s.input->streams[s.stream];
	const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
	if (!decoder)
		throw SourceFailure("no decoder for the source's codec", false);
	s.decoder = avcodec_alloc_context3(decoder);
	avcodec_parameters_to_context(s.decoder, stream->codecpar);
	s.decoder->thread_count = 1;
	int rc = avcodec_open2(s.decoder, decoder, nullptr);
	if (rc < 0)
		throw SourceFailure("cannot open decoder: " + averror(rc), false);
	AVRational rate = stream->avg_frame_rate.num ? stream->avg_frame_rate : stream->r_frame_rate;
	if (!rate.num || !rate.den)
		rate = AVRational{static_cast<int>(_options.source.fps > 0 ? _options.source.fps : 30), 1};
	s.info.width = stream->codecpar->width;
	s.info.height = stream->codecpar->height;
	s.info.frameRate = rate;
	s.info.timeBase = MicrosecondBase;
	s.passthrough = stream->codecpar->codec_id == AV_CODEC_ID_H264;
}

void CapturePipeline::openEncoder(Session& s, AVCodecParameters& params)
{
	const AVCodec* h264 = avcodec_find_encoder_by_name("libx264");
	if (!h264)
		throw SourceFailure("FFmpeg has no libx264 encoder", false);
	s.encoder = avcodec_alloc_context3(h264);
	s.encoder->width = s.info.width;
	s.encoder->height = s.info.height;
	s.encoder->pix_fmt = AV_PIX_FMT_YUV420P;
	s.encoder->time_base = MicrosecondBase;
	s.encoder->framerate = s.info.frameRate;
	s.encoder->gop_size = std::max(1, static_cast<int>(av_q2d(s.info.frameRate) * _options.gopSeconds + 0.5));
	s.encoder->max_b_frames = 0;
	s.encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; // SPS/PPS in extradata, for MP4 and RTSP
	AVDictionary* encoderOptions = nullptr;
	av_dict_set(&encoderOptions, "preset", _options.preset.c_str(), 0);
	av_dict_set(&encoderOptions, "tune", _options.tune.c_str(), 0);
	av_dict_set(&encoderOptions, "crf", std::to_string(_options.crf).c_str(), 0);
	av_dict_set(&encoderOptions, "x264-params", "repeat-headers=1", 0); // and in-band, for late joiners
	int rc = avcodec_open2(s.encoder, h264, &encoderOptions);
	av_dict_free(&encoderOptions);
	if (rc < 0)
		throw SourceFailure("cannot open H.264 encoder: " + averror(rc), false);
	avcodec_parameters_from_context(&params, s.encoder);
	s.converted = av_frame_alloc();
	s.converted->format = AV_PIX_FMT_YUV420P;
	s.converted->width = s.info.width;
	s.converted->height = s.info.height;
	if (av_frame_get_buffer(s.converted, 0) < 0)
		throw SourceFailure("out of memory", false);
	s.encodedPacket = av_packet_alloc();
}

void CapturePipeline::openSession(Session& s)
{
	routeFfmpegLog(_logger);
	openInput(s);
	openDecoder(s);
	auto params = std::shared_ptr<AVCodecParameters>(avcodec_parameters_alloc(), [](AVCodecParameters* p) { avcodec_parameters_free(&p); });
	if (s.passthrough)
	{
		avcodec_parameters_copy(params.get(), s.input->streams[s.stream]->codecpar);
		if ((s.keyParser = av_parser_init(AV_CODEC_ID_H264)))
			s.keyParser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
	}
	else
	{
		openEncoder(s, *params);
	}
	s.info.codecParameters = params;
	s.decoded = av_frame_alloc();
	s.packet = av_packet_alloc();

	AVRational rate = s.info.frameRate;
	_width = s.info.width;
	_height = s.info.height;
	_fps = av_q2d(rate);
	_bytes = 0;
	_openedAtMicros = av_gettime_relative();
	_open = true;
	_logger.information("camera %s: capturing %s %dx%d@%.2f (%s)", _name, _options.source.kind, s.info.width, s.info.height, av_q2d(rate),
		std::string(s.passthrough ? "H.264 passthrough" : "encoding H.264"));
}

void CapturePipeline::publishFrame(const AVFrame* frame)
{
	AVFrame* copy = av_frame_clone(frame); // a reference, not a copy of the pixels
	if (!copy)
		return;
	sdk::Frame shared(copy, [](const AVFrame* f) { AVFrame* p = const_cast<AVFrame*>(f); av_frame_free(&p); });
	std::lock_guard lock(_mutex);
	_latest = std::move(shared);
	++_frameCount;
	_changed.notify_all();
}

void CapturePipeline::deliver(AVPacket& packet, const sdk::StreamInfo& info)
{
	_bytes += static_cast<std::uint64_t>(packet.size);
	packet.stream_index = 0;
	bool key = packet.flags & AV_PKT_FLAG_KEY;
	std::lock_guard sinks(_sinkMutex);
	for (auto& s: _sinks)
	{
		if (!s.started)
		{
			s.sink->onStreamStart(info);
			s.started = true;
			s.keyframeSeen = false;
		}
		if (!s.keyframeSeen && !key)
			continue;
		s.keyframeSeen = true;
		s.sink->onPacket(packet);
	}
}

void CapturePipeline::endStream(sdk::StreamEnd reason, const std::string& detail)
{
	std::lock_guard sinks(_sinkMutex);
	for (auto& s: _sinks)
	{
		if (s.started)
			s.sink->onStreamEnd(reason, detail);
		s.started = false;
	}
}

bool CapturePipeline::shuttingDownOrGone() const
{
	std::lock_guard lock(_mutex);
	if (_shutdown)
		return true;
	if (!_available)
		throw SourceFailure("device removed", true);
	return false;
}

bool CapturePipeline::stillNeeded(std::chrono::steady_clock::time_point& idleSince) const
{
	if (!stopRequested())
	{
		idleSince = std::chrono::steady_clock::now();
		return true;
	}
	// Stop once nobody has needed the pipeline for the linger time.
	return std::chrono::steady_clock::now() - idleSince <= _options.idleLinger && !shuttingDownOrGone();
}

CapturePipeline::Read CapturePipeline::readPacket(Session& s)
{
	int rc = av_read_frame(s.input, s.packet);
	if (rc == AVERROR_EOF && _options.source.loop)
	{
		s.loopOffset = s.lastPts == AV_NOPTS_VALUE ? 0 : s.lastPts + static_cast<std::int64_t>(1e6 / std::max(1.0, av_q2d(s.info.frameRate)));
		s.firstPts = AV_NOPTS_VALUE;
		av_seek_frame(s.input, s.stream, 0, AVSEEK_FLAG_BACKWARD);
		avcodec_flush_buffers(s.decoder);
		return Read::Skip;
	}
	if (rc < 0)
	{
		if (shuttingDownOrGone())
			return Read::End;
		throw SourceFailure("source read failed: " + averror(rc), rc == AVERROR_EOF || rc == AVERROR(EIO) || rc == AVERROR(ENODEV));
	}
	if (s.packet->stream_index != s.stream || s.packet->size == 0) // empty: a buffer the driver flagged corrupt
	{
		av_packet_unref(s.packet);
		return Read::Skip;
	}
	return Read::Packet;
}

std::int64_t CapturePipeline::packetMicros(Session& s, const AVStream& stream)
{
	// Microseconds from the first frame, monotonic across loops and restarts of the source clock.
	std::int64_t pts = s.packet->pts != AV_NOPTS_VALUE ? s.packet->pts : s.packet->dts;
	if (s.firstPts == AV_NOPTS_VALUE)
	{
		s.firstPts = pts == AV_NOPTS_VALUE ? 0 : pts;
		if (s.wallStart == 0)
			s.wallStart = av_gettime_relative();
		else
			s.wallStart = av_gettime_relative() - s.loopOffset;
	}
	std::int64_t micros = (pts == AV_NOPTS_VALUE ? 0 : av_rescale_q(pts - s.firstPts, stream.time_base, MicrosecondBase)) + s.loopOffset;
	if (_options.source.paced)
	{
		std::int64_t wait = s.wallStart + micros - av_gettime_relative();
		if (wait > 0)
			av_usleep(static_cast<unsigned>(std::min<std::int64_t>(wait, 1000000)));
	}
	if (s.lastPts != AV_NOPTS_VALUE && micros <= s.lastPts)
		micros = s.lastPts + 1;
	s.lastPts = micros;
	return micros;
}

void CapturePipeline::encodeDecoded(Session& s, std::int64_t micros)
{
	if (!s.scaler || s.decoded->width != s.info.width || s.decoded->height != s.info.height)
	{
		sws_freeContext(s.scaler);
		s.scaler = sws_getContext(s.decoded->width, s.decoded->height, static_cast<AVPixelFormat>(s.decoded->format),
			s.info.width, s.info.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
	}
	av_frame_make_writable(s.converted);
	sws_scale(s.scaler, s.decoded->data, s.decoded->linesize, 0, s.decoded->height, s.converted->data, s.converted->linesize);
	s.converted->pts = micros;
	s.converted->pict_type = _forceKeyframe.exchange(false) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
	if (avcodec_send_frame(s.encoder, s.converted) != 0)
		return;
	while (avcodec_receive_packet(s.encoder, s.encodedPacket) == 0)
	{
		deliver(*s.encodedPacket, s.info);
		av_packet_unref(s.encodedPacket);
	}
}

void CapturePipeline::decodePacket(Session& s, std::int64_t micros)
{
	if (avcodec_send_packet(s.decoder, s.packet) != 0)
		return;
	while (avcodec_receive_frame(s.decoder, s.decoded) == 0)
	{
		publishFrame(s.decoded);
		if (!s.passthrough)
			encodeDecoded(s, micros);
		av_frame_unref(s.decoded);
	}
}

void CapturePipeline::passPacketThrough(Session& s, const AVStream& stream, std::int64_t micros)
{
	if (s.keyParser) // every packet: the parser needs the in-band SPS/PPS to read later slices
	{
		std::uint8_t* out = nullptr;
		int outSize = 0;
		av_parser_parse2(s.keyParser, s.decoder, &out, &outSize, s.packet->data, s.packet->size, AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
		if (s.keyParser->key_frame == 1)
			s.packet->flags |= AV_PKT_FLAG_KEY;
	}
	av_packet_rescale_ts(s.packet, stream.time_base, MicrosecondBase);
	s.packet->pts = micros;
	s.packet->dts = micros;
	deliver(*s.packet, s.info);
}

void CapturePipeline::capture(Session& s)
{
	const AVStream& stream = *s.input->streams[s.stream];
	auto leaseActive = [this] {
		std::lock_guard lock(_mutex);
		return std::chrono::steady_clock::now() < _leaseUntil;
	};
	auto idleSince = std::chrono::steady_clock::now();
	while (stillNeeded(idleSince))
	{
		Read read = readPacket(s);
		if (read == Read::End)
			return;
		if (read == Read::Skip)
			continue;
		std::int64_t micros = packetMicros(s, stream);
		if (!s.passthrough || leaseActive()) // frames: to encode, or for a snapshot's lease
			decodePacket(s, micros);
		if (s.passthrough)
			passPacketThrough(s, stream, micros);
		av_packet_unref(s.packet);
	}
}

} // namespace camsvc::cameras
