#include "LiveMp4Muxer.h"
#include <cstdio>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace camsvc::console {

using media::averror;

namespace {

constexpr int IoBufferSize = 64 * 1024;

} // namespace

LiveMp4Muxer::LiveMp4Muxer(Sink sink): _sink(std::move(sink))
{
}

LiveMp4Muxer::~LiveMp4Muxer()
{
	if (_context)
		avformat_free_context(_context); // no trailer: a live stream has no end
	if (_avio)
	{
		av_freep(&_avio->buffer);
		avio_context_free(&_avio);
	}
	av_packet_free(&_packet);
}

int LiveMp4Muxer::collect(void* opaque, media::AvioWriteBuffer buffer, int size)
{
	static_cast<LiveMp4Muxer*>(opaque)->_pending.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
	return size;
}

bool LiveMp4Muxer::deliver(bool keyframe)
{
	avio_flush(_avio);
	if (_pending.empty())
		return true;
	bool taken = _sink(_pending, keyframe);
	_pending.clear();
	return taken;
}

void LiveMp4Muxer::begin(const sdk::StreamInfo& info)
{
	if (_context)
		throw std::logic_error("LiveMp4Muxer::begin() called twice");
	if (!info.codecParameters)
		throw std::runtime_error("the stream has no codec parameters");
	_info = info;
	auto* buffer = static_cast<unsigned char*>(av_malloc(IoBufferSize));
	_avio = buffer ? avio_alloc_context(buffer, IoBufferSize, 1, this, nullptr, &LiveMp4Muxer::collect, nullptr) : nullptr;
	if (!_avio)
	{
		av_free(buffer);
		throw std::runtime_error("cannot allocate the live stream's I/O context");
	}
	_avio->seekable = 0;
	int rc = avformat_alloc_output_context2(&_context, nullptr, "mp4", nullptr);
	if (rc < 0 || !_context)
		throw std::runtime_error("cannot create the mp4 muxer: " + averror(rc));
	_context->pb = _avio;
	_context->flags |= AVFMT_FLAG_CUSTOM_IO;
	AVStream* stream = avformat_new_stream(_context, nullptr);
	if (!stream || (rc = avcodec_parameters_copy(stream->codecpar, info.codecParameters.get())) < 0)
		throw std::runtime_error("cannot add the video stream: " + averror(rc));
	stream->codecpar->codec_tag = 0;
	stream->time_base = AVRational{1, 90000};
	stream->avg_frame_rate = info.frameRate;

	// frag_custom: a fragment ends exactly when write() flushes it, one per
	// packet, so nothing waits for the next frame or keyframe.
	AVDictionary* options = nullptr;
	av_dict_set(&options, "movflags", "empty_moov+default_base_moof+frag_custom", 0);
	av_dict_set(&options, "write_prft", "wallclock", 0);
	rc = avformat_write_header(_context, &options);
	av_dict_free(&options);
	if (rc < 0)
		throw std::runtime_error("cannot write the mp4 init segment: " + averror(rc));
	_packet = av_packet_alloc();
	if (!_packet)
		throw std::runtime_error("cannot allocate a packet");
	if (info.frameRate.num > 0 && info.frameRate.den > 0)
		_frameDuration = av_rescale_q(1, av_inv_q(info.frameRate), info.timeBase);
	av_write_frame(_context, nullptr); // the mp4 muxer writes ftyp + moov here
	deliver(true);
}

bool LiveMp4Muxer::write(const AVPacket& in)
{
	if (!_context)
		return false;
	std::int64_t dts = in.dts != AV_NOPTS_VALUE ? in.dts : in.pts;
	std::int64_t pts = in.pts != AV_NOPTS_VALUE ? in.pts : dts;
	const bool keyframe = in.flags & AV_PKT_FLAG_KEY;
	if (dts == AV_NOPTS_VALUE || (_firstDts == AV_NOPTS_VALUE && !keyframe))
		return false;
	if (_firstDts == AV_NOPTS_VALUE)
		_firstDts = dts;
	dts -= _firstDts;
	pts -= _firstDts;
	_dts.apply(dts, pts);

	int rc = av_packet_ref(_packet, &in);
	if (rc < 0)
		throw std::runtime_error("cannot reference a packet: " + averror(rc));
	_packet->pts = pts;
	_packet->dts = dts;
	// The fragment is cut right after this sample, so its duration must be known now.
	_packet->duration = in.duration > 0 ? in.duration : std::max<std::int64_t>(_frameDuration, 1);
	_packet->stream_index = 0;
	_packet->pos = -1;
	av_packet_rescale_ts(_packet, _info.timeBase, _context->streams[0]->time_base);
	rc = av_write_frame(_context, _packet);
	av_packet_unref(_packet);
	if (rc >= 0)
		rc = av_write_frame(_context, nullptr); // frag_custom: close the fragment now
	if (rc < 0)
		throw std::runtime_error("cannot mux a live fragment: " + averror(rc));
	return deliver(keyframe);
}

std::string LiveMp4Muxer::mimeType(const sdk::StreamInfo& info)
{
	return "video/mp4; codecs=\"" + (info.codecParameters ? codecString(*info.codecParameters) : std::string("avc1.42e01e")) + "\"";
}

std::string LiveMp4Muxer::codecString(const AVCodecParameters& parameters)
{
	const std::uint8_t* x = parameters.extradata;
	const int n = parameters.extradata_size;
	const std::uint8_t* sps = nullptr; // profile_idc, constraint flags, level_idc
	if (x && n >= 4 && x[0] == 1)
		sps = x + 1; // avcC: configurationVersion, then the three bytes
	else if (x)
	{
		// Annex B: the byte after a start code whose NAL type is 7 (SPS).
		for (int i = 0; i + 6 < n && !sps; ++i)
			if (x[i] == 0 && x[i + 1] == 0 && x[i + 2] == 1 && (x[i + 3] & 0x1f) == 7)
				sps = x + i + 4;
	}
	if (!sps)
		return "avc1.42e01e";
	char text[16];
	std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", sps[0], sps[1], sps[2]);
	return text;
}

} // namespace camsvc::console
