#include "MediaCheck.h"
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

namespace camsvc::test {

namespace {

const int quietLibraries = (av_log_set_level(AV_LOG_FATAL), 0); // expected failures are asserted, not printed

} // namespace

MediaSummary decodeMedia(const std::string& path)
{
	MediaSummary s;
	AVFormatContext* input = nullptr;
	if (avformat_open_input(&input, path.c_str(), nullptr, nullptr) < 0)
		return s;
	if (avformat_find_stream_info(input, nullptr) < 0)
	{
		avformat_close_input(&input);
		return s;
	}
	int index = av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
	if (index < 0)
	{
		avformat_close_input(&input);
		return s;
	}
	s.opened = true;
	s.container = input->iformat->name;
	AVStream* stream = input->streams[index];
	const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
	s.codec = codec ? codec->name : "";
	AVCodecContext* decoder = avcodec_alloc_context3(codec);
	avcodec_parameters_to_context(decoder, stream->codecpar);
	decoder->thread_count = 1;
	avcodec_open2(decoder, codec, nullptr);
	AVPacket* packet = av_packet_alloc();
	AVFrame* frame = av_frame_alloc();
	std::int64_t first = AV_NOPTS_VALUE, last = AV_NOPTS_VALUE, lastDuration = 0;
	auto drain = [&] {
		while (avcodec_receive_frame(decoder, frame) == 0)
		{
			++s.frames;
			s.width = frame->width;
			s.height = frame->height;
			std::int64_t pts = frame->best_effort_timestamp;
			if (pts != AV_NOPTS_VALUE)
			{
				if (first == AV_NOPTS_VALUE || pts < first)
					first = pts;
				if (last == AV_NOPTS_VALUE || pts >= last)
				{
					last = pts;
					lastDuration = frame->pkt_duration;
				}
			}
			if (s.firstFrame.empty())
			{
				for (int y = 0; y < frame->height; ++y)
					s.firstFrame.insert(s.firstFrame.end(), frame->data[0] + y * frame->linesize[0],
						frame->data[0] + y * frame->linesize[0] + frame->width);
			}
			av_frame_unref(frame);
		}
	};
	while (av_read_frame(input, packet) >= 0)
	{
		if (packet->stream_index == index)
		{
			if (avcodec_send_packet(decoder, packet) < 0)
				++s.decodeErrors;
			drain();
		}
		av_packet_unref(packet);
	}
	avcodec_send_packet(decoder, nullptr);
	drain();
	if (first != AV_NOPTS_VALUE)
	{
		if (lastDuration <= 0 && stream->avg_frame_rate.num > 0)
			lastDuration = av_rescale_q(1, av_inv_q(stream->avg_frame_rate), stream->time_base);
		s.seconds = (last - first + lastDuration) * av_q2d(stream->time_base);
	}
	av_frame_free(&frame);
	av_packet_free(&packet);
	avcodec_free_context(&decoder);
	avformat_close_input(&input);
	return s;
}

std::ostream& operator<<(std::ostream& out, const MediaSummary& m)
{
	return out << (m.opened ? "" : "(not opened) ") << m.container << "/" << m.codec << " " << m.width << "x" << m.height
		<< ", " << m.frames << " frames, " << m.seconds << " s, " << m.decodeErrors << " decode errors";
}

::testing::AssertionResult decodesAs(const MediaSummary& m, const ExpectedVideo& expected)
{
	bool ok = m.opened && m.codec == expected.codec && m.width == expected.width && m.height == expected.height
		&& m.frames == expected.frames && m.decodeErrors == 0 && std::abs(m.seconds - expected.seconds) <= expected.tolerance;
	if (ok)
		return ::testing::AssertionSuccess();
	return ::testing::AssertionFailure() << "decoded " << m << "; expected " << expected.codec << " " << expected.width << "x"
		<< expected.height << ", " << expected.frames << " frames, " << expected.seconds << " s (+-" << expected.tolerance << ")";
}

double meanAbsoluteDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b)
{
	if (a.size() != b.size() || a.empty())
		return -1;
	double sum = 0;
	for (std::size_t i = 0; i < a.size(); ++i)
		sum += std::abs(static_cast<int>(a[i]) - static_cast<int>(b[i]));
	return sum / static_cast<double>(a.size());
}

std::string readFileBytes(const std::string& path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream out;
	out << in.rdbuf();
	return out.str();
}

H264TestStream::H264TestStream(int width, int height, int fps): _width(width), _height(height), _fps(fps)
{
	const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
	if (!codec)
		throw std::runtime_error("no libx264");
	_encoder = avcodec_alloc_context3(codec);
	_encoder->width = width;
	_encoder->height = height;
	_encoder->pix_fmt = AV_PIX_FMT_YUV420P;
	_encoder->time_base = AVRational{1, 1000000};
	_encoder->framerate = AVRational{fps, 1};
	_encoder->gop_size = fps;
	_encoder->max_b_frames = 0;
	_encoder->thread_count = 1;
	_encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	AVDictionary* options = nullptr;
	av_dict_set(&options, "preset", "ultrafast", 0);
	av_dict_set(&options, "tune", "zerolatency", 0);
	av_dict_set(&options, "x264-params", "repeat-headers=1", 0);
	if (avcodec_open2(_encoder, codec, &options) < 0)
		throw std::runtime_error("cannot open libx264");
	av_dict_free(&options);
	auto params = std::shared_ptr<AVCodecParameters>(avcodec_parameters_alloc(), [](AVCodecParameters* p) { avcodec_parameters_free(&p); });
	avcodec_parameters_from_context(params.get(), _encoder);
	_info.width = width;
	_info.height = height;
	_info.frameRate = AVRational{fps, 1};
	_info.timeBase = AVRational{1, 1000000};
	_info.codecParameters = params;
	_image = av_frame_alloc();
	_image->format = AV_PIX_FMT_YUV420P;
	_image->width = width;
	_image->height = height;
	av_frame_get_buffer(_image, 0);
}

H264TestStream::~H264TestStream()
{
	av_frame_free(&_image);
	avcodec_free_context(&_encoder);
}

std::vector<std::shared_ptr<AVPacket>> H264TestStream::packets(double seconds)
{
	std::vector<std::shared_ptr<AVPacket>> out;
	int count = static_cast<int>(std::lround(seconds * _fps));
	AVPacket* packet = av_packet_alloc();
	for (int i = 0; i < count; ++i)
	{
		// A diagonal gradient that moves a few pixels per frame.
		av_frame_make_writable(_image);
		for (int y = 0; y < _height; ++y)
			for (int x = 0; x < _width; ++x)
				_image->data[0][y * _image->linesize[0] + x] = static_cast<std::uint8_t>(x + y + 3 * _picture);
		for (int p = 1; p <= 2; ++p)
			for (int y = 0; y < _height / 2; ++y)
				for (int x = 0; x < _width / 2; ++x)
					_image->data[p][y * _image->linesize[p] + x] = static_cast<std::uint8_t>(128 + (p == 1 ? x : y) / 4);
		_image->pts = _frame * 1000000 / _fps;
		++_frame;
		++_picture;
		avcodec_send_frame(_encoder, _image);
		while (avcodec_receive_packet(_encoder, packet) == 0)
		{
			out.emplace_back(av_packet_clone(packet), [](AVPacket* p) { av_packet_free(&p); });
			av_packet_unref(packet);
		}
	}
	av_packet_free(&packet);
	return out;
}

void H264TestStream::feed(sdk::PacketSink& sink, double seconds, bool announce)
{
	if (announce)
		sink.onStreamStart(_info);
	for (auto& p: packets(seconds))
		sink.onPacket(*p);
}

} // namespace camsvc::test
