//
// FrameSource.cpp
//

#include "FrameSource.h"
#include <linux/videodev2.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace camsvc::fakev4l2 {

// One encoder for the first pass over the loop; freed once every frame is kept.
struct FrameSource::Encoder
{
	AVCodecContext* context = nullptr;
	SwsContext* scaler = nullptr;
	AVFrame* picture = nullptr;
	AVPacket* packet = nullptr;
	std::vector<std::uint8_t> yuyv;

	~Encoder()
	{
		av_packet_free(&packet);
		av_frame_free(&picture);
		sws_freeContext(scaler);
		avcodec_free_context(&context);
	}
};

FrameSource::FrameSource(std::uint32_t fourcc, unsigned width, unsigned height, unsigned loopLength):
	_fourcc(fourcc), _width(width), _height(height), _loop(loopLength ? loopLength : 1), _frames(_loop)
{
}

FrameSource::~FrameSource() = default;

void FrameSource::pattern(unsigned index, std::uint8_t* yuyv) const
	/// A vertical gradient with a white bar moving left to right.
{
	unsigned bar = _width / 8 ? _width / 8 : 2;
	unsigned x0 = static_cast<unsigned>(static_cast<std::uint64_t>(_width - bar) * index / _loop);
	for (unsigned y = 0; y < _height; ++y)
	{
		std::uint8_t* row = yuyv + static_cast<std::size_t>(y) * _width * 2;
		std::uint8_t luma = static_cast<std::uint8_t>(32 + 160 * y / _height);
		for (unsigned x = 0; x < _width; x += 2)
		{
			bool inBar = x >= x0 && x < x0 + bar;
			row[2 * x] = row[2 * x + 2] = inBar ? 235 : luma;
			row[2 * x + 1] = inBar ? 128 : static_cast<std::uint8_t>(64 + 128 * x / _width); // U
			row[2 * x + 3] = inBar ? 128 : 160;                                               // V
		}
	}
}

const std::vector<std::uint8_t>& FrameSource::frame(std::uint64_t sequence)
{
	unsigned index = static_cast<unsigned>(sequence % _loop);
	if (_frames[index].empty())
	{
		if (_fourcc == V4L2_PIX_FMT_YUYV)
		{
			_frames[index].resize(static_cast<std::size_t>(_width) * _height * 2);
			pattern(index, _frames[index].data());
		}
		else
		{
			_frames[index] = encode(index);
			bool complete = true;
			for (const auto& f: _frames)
				complete = complete && !f.empty();
			if (complete)
				_encoder.reset();
		}
	}
	return _frames[index];
}

std::vector<std::uint8_t> FrameSource::encode(unsigned index)
	/// Called in index order on the first pass (the producer's sequence
	/// increases), which is what an H.264 GOP needs.
{
	if (!_encoder)
	{
		auto e = std::make_unique<Encoder>();
		bool jpeg = _fourcc == V4L2_PIX_FMT_MJPEG;
		const AVCodec* codec = jpeg ? avcodec_find_encoder(AV_CODEC_ID_MJPEG) : avcodec_find_encoder_by_name("libx264");
		if (!codec)
			return _error = jpeg ? "no mjpeg encoder" : "no libx264 encoder", std::vector<std::uint8_t>();
		e->context = avcodec_alloc_context3(codec);
		e->context->width = static_cast<int>(_width);
		e->context->height = static_cast<int>(_height);
		e->context->time_base = AVRational{1, 30};
		e->context->pix_fmt = jpeg ? AV_PIX_FMT_YUVJ422P : AV_PIX_FMT_YUV420P;
		e->context->thread_count = 1;
		AVDictionary* options = nullptr;
		if (jpeg)
		{
			e->context->flags |= AV_CODEC_FLAG_QSCALE;
			e->context->global_quality = FF_QP2LAMBDA * 4;
		}
		else
		{
			e->context->gop_size = static_cast<int>(_loop);
			e->context->max_b_frames = 0;
			av_dict_set(&options, "preset", "ultrafast", 0);
			av_dict_set(&options, "tune", "zerolatency", 0);
			av_dict_set(&options, "x264-params", ("repeat-headers=1:scenecut=0:keyint=" + std::to_string(_loop)).c_str(), 0);
		}
		int rc = avcodec_open2(e->context, codec, &options);
		av_dict_free(&options);
		if (rc < 0)
			return _error = "cannot open the encoder", std::vector<std::uint8_t>();
		e->scaler = sws_getContext(static_cast<int>(_width), static_cast<int>(_height), AV_PIX_FMT_YUYV422,
			static_cast<int>(_width), static_cast<int>(_height), e->context->pix_fmt, SWS_POINT, nullptr, nullptr, nullptr);
		e->picture = av_frame_alloc();
		e->picture->format = e->context->pix_fmt;
		e->picture->width = static_cast<int>(_width);
		e->picture->height = static_cast<int>(_height);
		if (!e->scaler || av_frame_get_buffer(e->picture, 0) < 0)
			return _error = "out of memory", std::vector<std::uint8_t>();
		e->packet = av_packet_alloc();
		e->yuyv.resize(static_cast<std::size_t>(_width) * _height * 2);
		_encoder = std::move(e);
	}
	Encoder& e = *_encoder;
	pattern(index, e.yuyv.data());
	const std::uint8_t* src[1] = {e.yuyv.data()};
	int srcStride[1] = {static_cast<int>(_width * 2)};
	av_frame_make_writable(e.picture);
	sws_scale(e.scaler, src, srcStride, 0, static_cast<int>(_height), e.picture->data, e.picture->linesize);
	e.picture->pts = index;
	e.picture->pict_type = index == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
	std::vector<std::uint8_t> out;
	if (avcodec_send_frame(e.context, e.picture) == 0)
	{
		while (avcodec_receive_packet(e.context, e.packet) == 0)
		{
			out.insert(out.end(), e.packet->data, e.packet->data + e.packet->size);
			av_packet_unref(e.packet);
		}
	}
	if (out.empty())
		_error = "the encoder returned no frame";
	return out;
}

} // namespace camsvc::fakev4l2
