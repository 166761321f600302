#include "StreamMuxer.h"
#include <cerrno>
#include <cstring>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/opt.h>
}

namespace camsvc::recording {

using media::averror;

namespace {

bool sameStream(const AVCodecParameters& a, const AVCodecParameters& b)
{
	return a.codec_id == b.codec_id && a.width == b.width && a.height == b.height;
}

} // namespace

bool MuxError::storageFull() const
{
	return errorNumber == ENOSPC || errorNumber == EDQUOT || errorNumber == EFBIG;
}

StreamMuxer::StreamMuxer(std::string path, std::string format, int fragmentMs):
	_path(std::move(path)), _format(std::move(format)), _fragmentMs(fragmentMs > 0 ? fragmentMs : 1000)
{
}

StreamMuxer::~StreamMuxer()
{
	try
	{
		finish();
	}
	catch (...)
	{
	}
	av_packet_free(&_packet);
}

void StreamMuxer::fail(const std::string& what, int rc)
{
	int errorNumber = _output && _output->lastError() ? _output->lastError() : 0;
	if (!errorNumber && rc < 0 && AVUNERROR(rc) < 200)
		errorNumber = AVUNERROR(rc);
	throw MuxError(what + ": " + (errorNumber ? std::strerror(errorNumber) : averror(rc)), errorNumber);
}

void StreamMuxer::abandon(const std::string& what, int rc)
{
	avformat_free_context(_context);
	_context = nullptr;
	_output->close();
	fail(what, rc);
}

void StreamMuxer::begin(const sdk::StreamInfo& info)
{
	if (!info.codecParameters)
		throw StreamChanged("the stream has no codec parameters");
	if (!_context)
	{
		open(info);
		return;
	}
	if (!sameStream(*_info.codecParameters, *info.codecParameters))
		throw StreamChanged("the camera's stream changed (" + std::to_string(info.width) + "x" + std::to_string(info.height) + ")");
	_info = info;
	_rebase = true;
}

void StreamMuxer::open(const sdk::StreamInfo& info)
{
	_info = info;
	const char* muxer = _format == "mkv" ? "matroska" : "mp4";
	_output = std::make_unique<FileOutput>(_path);
	int rc = avformat_alloc_output_context2(&_context, nullptr, muxer, _path.c_str());
	if (rc < 0 || !_context)
		fail("cannot create the " + _format + " muxer", rc < 0 ? rc : AVERROR(ENOMEM));
	_context->pb = _output->context();
	_context->flags |= AVFMT_FLAG_CUSTOM_IO;
	_context->flush_packets = 1; // hand every packet (and so every finished fragment) to the file at once

	AVStream* stream = avformat_new_stream(_context, nullptr);
	if (!stream || (rc = avcodec_parameters_copy(stream->codecpar, info.codecParameters.get())) < 0)
		abandon("cannot add the video stream", rc < 0 ? rc : AVERROR(ENOMEM));
	stream->codecpar->codec_tag = 0;
	stream->time_base = _format == "mkv" ? AVRational{1, 1000} : AVRational{1, 90000};
	stream->avg_frame_rate = info.frameRate;
	stream->r_frame_rate = info.frameRate;

	AVDictionary* options = nullptr;
	std::string fragmentMicros = std::to_string(static_cast<long long>(_fragmentMs) * 1000);
	if (_format == "mkv")
	{
		av_dict_set(&options, "cluster_time_limit", std::to_string(_fragmentMs).c_str(), 0);
	}
	else
	{
		av_dict_set(&options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
		av_dict_set(&options, "frag_duration", fragmentMicros.c_str(), 0);
	}
	rc = avformat_write_header(_context, &options);
	av_dict_free(&options);
	if (rc < 0 || !_output->commit())
		abandon("cannot write the " + _format + " header", rc < 0 ? rc : AVERROR(_output->lastError()));
	_packet = av_packet_alloc();
	if (info.frameRate.num > 0 && info.frameRate.den > 0)
		_frameDuration = av_rescale_q(1, av_inv_q(info.frameRate), info.timeBase);
	_rebase = true;
}

void StreamMuxer::write(const AVPacket& in)
{
	if (!_context || _finished)
		return;
	std::int64_t dts = in.dts != AV_NOPTS_VALUE ? in.dts : in.pts;
	std::int64_t pts = in.pts != AV_NOPTS_VALUE ? in.pts : dts;
	if (dts == AV_NOPTS_VALUE)
		return;
	if (_rebase)
	{
		// First packet: start at 0. After a restart: one frame after the last one.
		std::int64_t next = _dts.last == AV_NOPTS_VALUE ? 0 : _dts.last + std::max<std::int64_t>(_frameDuration, 1);
		_offset = dts - next;
		_rebase = false;
	}
	dts -= _offset;
	pts -= _offset;
	_dts.apply(dts, pts);
	std::int64_t duration = in.duration > 0 ? in.duration : _frameDuration;
	const std::int64_t endBefore = _end;
	_end = std::max(_end, pts + duration);

	int rc = av_packet_ref(_packet, &in);
	if (rc < 0)
		fail("cannot reference a packet", rc);
	_packet->pts = pts;
	_packet->dts = dts;
	_packet->duration = duration;
	_packet->stream_index = 0;
	_packet->pos = -1;
	av_packet_rescale_ts(_packet, _info.timeBase, _context->streams[0]->time_base);
	const std::uint64_t committedBefore = _output->committed();
	rc = av_write_frame(_context, _packet);
	av_packet_unref(_packet);
	if (rc < 0 || !_output->commit())
		fail("cannot write to " + _path, rc < 0 ? rc : AVERROR(_output->lastError()));
	// Both muxers write out a fragment / cluster when the next packet opens
	// a new one, before taking that packet: new bytes hold what came before.
	if (_output->committed() > committedBefore)
		_committedEnd = endBefore;
	++_packets;
}

void StreamMuxer::finish()
{
	if (_finished)
		return;
	_finished = true;
	if (!_context)
		return;
	int rc = _output->lastError() ? AVERROR(_output->lastError()) : av_write_trailer(_context);
	// A failed write (a full disk) may have left part of a fragment: cut the
	// file back to the last whole one, as a crash would leave it, so it
	// decodes without errors and the catalog gets the media time it holds.
	if (_output->rollback())
		_end = _committedEnd;
	_output->close();
	avformat_free_context(_context);
	_context = nullptr;
	if (rc < 0)
		fail("cannot finish " + _path, rc);
}

void StreamMuxer::sync()
{
	if (_output && !_finished)
		_output->sync();
}

double StreamMuxer::durationSeconds() const
{
	return _end * av_q2d(_info.timeBase);
}

} // namespace camsvc::recording
