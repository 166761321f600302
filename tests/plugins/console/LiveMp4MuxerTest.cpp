//
// LiveMp4MuxerTest.cpp
//
// The live view's producer without any transport: a libx264 stream fed like
// a camera pipeline feeds it comes out as an init segment and one fragment
// per packet whose concatenation decodes with libavformat as H.264 at the
// camera's size, every frame and no errors; the MIME codec string matches
// the SPS; a viewer that does not read stays within its byte limit and
// resumes at a keyframe with a stream that still decodes; the camera ending
// or restarting ends the view.
//

#include "ChunkQueue.h"
#include "LiveMp4Muxer.h"
#include "LiveViewer.h"
#include "MediaCheck.h"
#include "support/ServerProcess.h"
#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace camsvc;
using namespace camsvc::console;

namespace {

std::uint32_t be32(std::string_view b, std::size_t at)
{
	auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
	return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

std::string boxType(std::string_view chunk)
{
	return chunk.size() >= 8 ? std::string(chunk.substr(4, 4)) : std::string();
}

struct TempFile
{
	explicit TempFile(const std::string& bytes): dir(test::makeTempDir("console-live")), path(dir + "/live.mp4")
	{
		std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
	}
	~TempFile() { test::removeTree(dir); }
	std::string dir, path;
};

class Collector: public sdk::PacketSink
	/// Feeds a LiveMp4Muxer exactly as LiveViewer does, keeping every chunk.
{
public:
	Collector(): muxer([this](std::string_view c, bool key) { chunks.emplace_back(c); keys.push_back(key); return true; }) {}
	void onStreamStart(const sdk::StreamInfo& i) override { info = i; muxer.begin(i); }
	void onPacket(const AVPacket& p) override { ++packets; muxer.write(p); }
	void onStreamEnd(sdk::StreamEnd, const std::string&) override {}

	LiveMp4Muxer muxer;
	sdk::StreamInfo info;
	std::vector<std::string> chunks;
	std::vector<bool> keys;
	int packets = 0;
};

struct DemuxedPacket
{
	std::int64_t dts;  // 1/90000 (the muxer's time base)
	bool key;
};

std::vector<DemuxedPacket> demuxedPackets(const std::string& path)
	/// What a player's demuxer reads: every sample's time and keyframe flag.
{
	std::vector<DemuxedPacket> packets;
	AVFormatContext* input = nullptr;
	if (avformat_open_input(&input, path.c_str(), nullptr, nullptr) < 0)
		return packets;
	AVPacket* packet = av_packet_alloc();
	while (av_read_frame(input, packet) >= 0)
	{
		AVRational tb = input->streams[packet->stream_index]->time_base;
		packets.push_back({av_rescale_q(packet->dts, tb, AVRational{1, 90000}), (packet->flags & AV_PKT_FLAG_KEY) != 0});
		av_packet_unref(packet);
	}
	av_packet_free(&packet);
	avformat_close_input(&input);
	return packets;
}

std::string drain(ChunkQueue& queue)
{
	std::string all, chunk;
	while (queue.pop(chunk, std::chrono::milliseconds(0)))
		all += chunk;
	return all;
}

} // namespace

TEST(LiveMp4Muxer, InitSegmentThenOneFragmentPerPacketDecodesAtTheCamerasSize)
{
	test::H264TestStream camera(320, 240, 15);
	Collector c;
	camera.feed(c, 2.0);
	ASSERT_EQ(c.packets, 30);
	ASSERT_EQ(c.chunks.size(), 31u); // init + one fragment per frame: nothing waits for the next frame
	EXPECT_EQ(boxType(c.chunks[0]), "ftyp");
	EXPECT_NE(c.chunks[0].find("moov"), std::string::npos);
	EXPECT_EQ(c.chunks[0].find("mdat"), std::string::npos) << "the init segment holds no samples";
	const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
	for (std::size_t i = 1; i < c.chunks.size(); ++i)
	{
		// prft (wall clock when muxed, media time), then moof + mdat.
		const std::string& f = c.chunks[i];
		ASSERT_EQ(boxType(f), "prft") << "chunk " << i;
		std::uint32_t prftSize = be32(f, 0);
		EXPECT_EQ(boxType(std::string_view(f).substr(prftSize)), "moof") << "chunk " << i;
		const std::int64_t wallMs = (static_cast<std::int64_t>(be32(f, 16)) - 2208988800LL) * 1000 + ((be32(f, 20) * 1000LL) >> 32);
		EXPECT_NEAR(static_cast<double>(wallMs), static_cast<double>(now), 10000.0) << "an NTP wall clock";
		std::int64_t mediaTime = f[8] == 1 ? (static_cast<std::int64_t>(be32(f, 24)) << 32 | be32(f, 28)) : be32(f, 24);
		EXPECT_EQ(mediaTime, static_cast<std::int64_t>(i - 1) * 90000 / 15) << "the fragment's media time (1/90000)";
	}
	EXPECT_TRUE(c.keys[1]) << "the first fragment is a keyframe";

	std::string all;
	for (const auto& chunk: c.chunks)
		all += chunk;
	TempFile file(all);
	auto media = test::decodeMedia(file.path);
	EXPECT_TRUE(decodesAs(media, {"h264", 320, 240, 30, 2.0, 0.1}));
}

TEST(LiveMp4Muxer, CodecStringComesFromTheSps)
{
	test::H264TestStream camera(320, 240, 15);
	const auto& parameters = *camera.info().codecParameters;
	std::string codec = LiveMp4Muxer::codecString(parameters);
	ASSERT_EQ(codec.size(), 11u) << codec;
	EXPECT_EQ(codec.substr(0, 5), "avc1.");
	// libx264 ultrafast: Constrained Baseline (profile_idc 66 = 0x42).
	EXPECT_EQ(codec.substr(5, 2), "42");
	EXPECT_EQ(LiveMp4Muxer::mimeType(camera.info()), "video/mp4; codecs=\"" + codec + "\"");

	AVCodecParameters avcc{};
	std::uint8_t record[] = {1, 0x64, 0x00, 0x1f, 0xff};
	avcc.extradata = record;
	avcc.extradata_size = sizeof record;
	EXPECT_EQ(LiveMp4Muxer::codecString(avcc), "avc1.64001f");
	AVCodecParameters none{};
	EXPECT_EQ(LiveMp4Muxer::codecString(none), "avc1.42e01e");
}

TEST(LiveViewer, TheFirstChunkIsTheInitSegmentAndTheTypeIsKnownWithIt)
{
	test::H264TestStream camera(320, 240, 15);
	LiveViewer viewer(1 << 20);
	camera.feed(viewer, 1.0);
	std::string first;
	ASSERT_TRUE(viewer.queue().pop(first, std::chrono::milliseconds(0)));
	EXPECT_EQ(boxType(first), "ftyp");
	EXPECT_EQ(viewer.mimeType(), LiveMp4Muxer::mimeType(camera.info()));
	EXPECT_EQ(viewer.droppedFragments(), 0u);
}

TEST(LiveViewer, ASlowViewerStaysWithinItsLimitAndResumesAtAKeyframe)
{
	test::H264TestStream camera(320, 240, 15);
	const std::size_t limit = 16 * 1024;
	LiveViewer viewer(limit);
	// Nobody reads: 4 s of video is far more than 16 KiB.
	camera.feed(viewer, 4.0);
	EXPECT_LE(viewer.queue().bytes(), limit);
	EXPECT_GT(viewer.droppedFragments(), 0u);
	std::string stream = drain(viewer.queue());
	// The reader caught up; the camera goes on.
	camera.feed(viewer, 2.0, false);
	stream += drain(viewer.queue());

	TempFile file(stream);
	auto packets = demuxedPackets(file.path);
	ASSERT_FALSE(packets.empty());
	EXPECT_LT(packets.size(), 90u);
	EXPECT_TRUE(packets.front().key);
	const std::int64_t frame = 90000 / 15;
	int gaps = 0;
	for (std::size_t i = 1; i < packets.size(); ++i)
	{
		if (packets[i].dts - packets[i - 1].dts <= frame)
			continue;
		++gaps;
		EXPECT_TRUE(packets[i].key) << "packet " << i << " resumes a view mid-GOP";
	}
	EXPECT_GT(gaps, 0);
	auto media = test::decodeMedia(file.path);
	EXPECT_EQ(media.width, 320);
	EXPECT_EQ(media.frames, static_cast<int>(packets.size()));
}

TEST(LiveViewer, TheCameraStoppingOrRestartingEndsTheView)
{
	test::H264TestStream camera(320, 240, 15);
	LiveViewer stopped(1 << 20);
	camera.feed(stopped, 0.5);
	stopped.onStreamEnd(sdk::StreamEnd::SourceLost, "unplugged");
	EXPECT_TRUE(stopped.queue().closed());
	EXPECT_EQ(stopped.queue().reason(), "camera_source_lost");
	EXPECT_FALSE(drain(stopped.queue()).empty()) << "what was queued is still delivered";

	LiveViewer restarted(1 << 20);
	camera.feed(restarted, 0.5);
	restarted.onStreamStart(camera.info());
	EXPECT_TRUE(restarted.queue().closed());
	EXPECT_EQ(restarted.queue().reason(), "camera_restarted");
}

TEST(ChunkQueue, RefusesWhatWouldExceedTheLimitButNeverStarvesOnABigChunk)
{
	ChunkQueue q(10);
	EXPECT_TRUE(q.push(std::string(25, 'k'))) << "an empty queue takes one oversized chunk";
	EXPECT_FALSE(q.push("x"));
	std::string c;
	ASSERT_TRUE(q.pop(c, std::chrono::milliseconds(0)));
	EXPECT_EQ(c.size(), 25u);
	EXPECT_TRUE(q.push("12345"));
	EXPECT_TRUE(q.push("12345"));
	EXPECT_FALSE(q.push("1"));
	EXPECT_EQ(q.bytes(), 10u);
	q.close("done");
	q.close("again");
	EXPECT_EQ(q.reason(), "done");
	EXPECT_FALSE(q.push("1")) << "closed";
	ASSERT_TRUE(q.pop(c, std::chrono::milliseconds(0))) << "a closed queue drains";
	ASSERT_TRUE(q.pop(c, std::chrono::milliseconds(0)));
	EXPECT_FALSE(q.pop(c, std::chrono::milliseconds(1000))) << "drained and closed returns at once";
}
