#include "ImageEncoder.h"
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
}

namespace camsvc::snapshots {

namespace {

struct CodecFree { void operator()(AVCodecContext* c) const { avcodec_free_context(&c); } };
struct FrameFree { void operator()(AVFrame* f) const { av_frame_free(&f); } };
struct PacketFree { void operator()(AVPacket* p) const { av_packet_free(&p); } };
struct SwsFree { void operator()(SwsContext* s) const { sws_freeContext(s); } };

std::runtime_error failure(const std::string& what, int rc)
{
	char text[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(rc, text, sizeof text);
	return std::runtime_error(what + ": " + text);
}

} // namespace

int jpegQScale(int quality)
{
	quality = std::clamp(quality, 1, 100);
	return static_cast<int>(std::lround(2 + (100 - quality) * 29.0 / 99.0));
}

std::vector<std::uint8_t> encodeImage(const AVFrame& frame, const ImageOptions& options)
{
	if (frame.width <= 0 || frame.height <= 0 || frame.format < 0)
		throw std::runtime_error("empty frame");
	const bool jpeg = options.format == ImageFormat::Jpeg;
	// Full-range yuv420p flagged AVCOL_RANGE_JPEG (not the deprecated yuvj420p).
	const AVPixelFormat target = jpeg ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_RGB24;
	const AVCodec* codec = avcodec_find_encoder(jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG);
	if (!codec)
		throw std::runtime_error(jpeg ? "FFmpeg has no mjpeg encoder" : "FFmpeg has no png encoder");

	std::unique_ptr<AVCodecContext, CodecFree> context(avcodec_alloc_context3(codec));
	if (!context)
		throw std::bad_alloc();
	context->width = frame.width;
	context->height = frame.height;
	context->pix_fmt = target;
	context->time_base = AVRational{1, 25};
	context->thread_count = 1;
	if (jpeg)
	{
		int q = jpegQScale(options.quality);
		context->flags |= AV_CODEC_FLAG_QSCALE;
		context->global_quality = FF_QP2LAMBDA * q;
		context->qmin = context->qmax = q;
		context->color_range = AVCOL_RANGE_JPEG;
	}
	else
	{
		context->compression_level = std::clamp(options.pngCompression, 0, 9);
	}
	int rc = avcodec_open2(context.get(), codec, nullptr);
	if (rc < 0)
		throw failure("cannot open the image encoder", rc);

	// Convert (also when the format matches: the JPEG wants full range).
	std::unique_ptr<AVFrame, FrameFree> picture(av_frame_alloc());
	picture->format = target;
	picture->width = frame.width;
	picture->height = frame.height;
	if ((rc = av_frame_get_buffer(picture.get(), 0)) < 0)
		throw failure("cannot allocate a picture", rc);
	std::unique_ptr<SwsContext, SwsFree> scaler(sws_getContext(frame.width, frame.height, static_cast<AVPixelFormat>(frame.format),
		frame.width, frame.height, target, SWS_BILINEAR, nullptr, nullptr, nullptr));
	if (!scaler)
		throw std::runtime_error("cannot convert the frame's pixel format");
	if (jpeg)
	{
		AVPixelFormat source = static_cast<AVPixelFormat>(frame.format);
		int sourceFull = frame.color_range == AVCOL_RANGE_JPEG || source == AV_PIX_FMT_YUVJ420P
			|| source == AV_PIX_FMT_YUVJ422P || source == AV_PIX_FMT_YUVJ444P;
		const int* coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
		sws_setColorspaceDetails(scaler.get(), coefficients, sourceFull, coefficients, 1, 0, 1 << 16, 1 << 16);
		picture->color_range = AVCOL_RANGE_JPEG;
	}
	sws_scale(scaler.get(), frame.data, frame.linesize, 0, frame.height, picture->data, picture->linesize);
	picture->pts = 0;
	if (jpeg)
		picture->quality = context->global_quality;

	std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
	if ((rc = avcodec_send_frame(context.get(), picture.get())) < 0 || (rc = avcodec_send_frame(context.get(), nullptr)) < 0)
		throw failure("cannot encode the frame", rc);
	std::vector<std::uint8_t> out;
	while ((rc = avcodec_receive_packet(context.get(), packet.get())) == 0)
	{
		out.insert(out.end(), packet->data, packet->data + packet->size);
		av_packet_unref(packet.get());
	}
	if (rc != AVERROR_EOF)
		throw failure("cannot encode the frame", rc);
	if (out.empty())
		throw std::runtime_error("the encoder produced nothing");
	return out;
}

} // namespace camsvc::snapshots
