//
// MediaMtxTest.cpp
//
// The MediaMTX client and path manager against the test double (including
// restarts and outages), the double against openapi.yaml, and the RTSP
// publisher against a real RTSP peer: ffmpeg listening for a publisher.
//

#include "CapturePipeline.h"
#include "MediaMtxClient.h"
#include "MediaMtxDouble.h"
#include "PathManager.h"
#include "RtspPublisher.h"
#include "support/ChildProcess.h"
#include "support/ProcStatus.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <thread>

extern "C" {
#include <libavformat/avformat.h>
}

using namespace camsvc;
using namespace camsvc::mediamtx;
using namespace camsvc::test;

namespace {

Poco::JSON::Object conf(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> fields)
{
	Poco::JSON::Object o;
	for (const auto& [k, v]: fields)
		o.set(k, v);
	return o;
}

TEST(MediaMtxDouble, PathConfFieldsMatchOpenApi)
{
	std::ifstream in(OPENAPI_YAML);
	ASSERT_TRUE(in) << "cannot read " << OPENAPI_YAML << " (kept in the repository for this check)";
	std::set<std::string> fields;
	std::string line;
	bool inPathConf = false, inProperties = false;
	std::regex property(R"(^        ([A-Za-z0-9]+):$)");
	while (std::getline(in, line))
	{
		if (line == "    PathConf:")
		{
			inPathConf = true;
			continue;
		}
		if (inPathConf && std::regex_match(line, std::regex(R"(^    [A-Za-z0-9]+:$)")))
			break;
		if (inPathConf && line == "      properties:")
			inProperties = true;
		std::smatch m;
		if (inProperties && std::regex_match(line, m, property))
			fields.insert(m[1]);
	}
	EXPECT_EQ(fields, MediaMtxDouble::pathConfFields());
}

TEST(MediaMtxClient, PathLifecycleWithTheDocumentedStatusCodes)
{
	MediaMtxDouble mtx;
	MediaMtxClient client(Poco::URI(mtx.url()), "", "", 2000);
	EXPECT_EQ(client.info().version, "v1.20.1");
	EXPECT_FALSE(client.pathConfig("camera0"));
	EXPECT_FALSE(client.pathState("camera0"));
	client.addPath("camera0", conf({{"source", "publisher"}}));
	EXPECT_EQ((*client.pathConfig("camera0"))->getValue<std::string>("source"), "publisher");
	try
	{
		client.addPath("camera0", conf({{"source", "publisher"}}));
		FAIL() << "add on an existing path must fail";
	}
	catch (const MediaMtxError& e)
	{
		EXPECT_EQ(e.status(), 400);
		EXPECT_NE(std::string(e.what()).find("path already exists"), std::string::npos);
	}
	try
	{
		client.patchPath("camera0", conf({{"sourceTypo", "x"}}));
		FAIL() << "unknown fields must be refused";
	}
	catch (const MediaMtxError& e)
	{
		EXPECT_EQ(e.status(), 400);
	}
	client.patchPath("camera0", conf({{"record", true}}));
	EXPECT_TRUE((*client.pathConfig("camera0"))->getValue<bool>("record"));
	client.replacePath("camera9", conf({{"source", "publisher"}})); // replace creates
	EXPECT_TRUE(mtx.hasPath("camera9"));
	EXPECT_THROW(client.patchPath("nope", conf({{"record", true}})), MediaMtxError);

	mtx.setPublisher("camera0", true, 123456, 2);
	auto state = client.pathState("camera0");
	ASSERT_TRUE(state);
	EXPECT_TRUE(state->available);
	EXPECT_EQ(state->readers, 2);
	EXPECT_EQ(state->inboundBytes, 123456u);
	EXPECT_EQ(state->outboundBytes, 246912u);
	EXPECT_EQ(state->tracks, std::vector<std::string>{"H264"});
	EXPECT_EQ(state->sourceType, "rtspSession");
	EXPECT_EQ(client.paths().size(), 2u);
	client.deletePath("camera9");
	EXPECT_THROW(client.deletePath("camera9"), MediaMtxError);
}

TEST(MediaMtxClient, DeprecatedRuntimeFieldsAreUnderstood)
{
	Poco::JSON::Object old;
	old.set("name", "camera1");
	old.set("ready", true);
	old.set("bytesReceived", 10);
	old.set("bytesSent", 20);
	Poco::JSON::Array::Ptr tracks = new Poco::JSON::Array;
	tracks->add("H264");
	old.set("tracks", tracks);
	auto s = MediaMtxClient::parsePathState(old);
	EXPECT_TRUE(s.available);
	EXPECT_EQ(s.inboundBytes, 10u);
	EXPECT_EQ(s.outboundBytes, 20u);
	EXPECT_EQ(s.tracks, std::vector<std::string>{"H264"});
}

TEST(MediaMtxClient, CredentialsAndOutages)
{
	MediaMtxDouble mtx(0, "api", "secret");
	try
	{
		MediaMtxClient(Poco::URI(mtx.url()), "api", "wrong", 2000).info();
		FAIL() << "wrong credentials must be refused";
	}
	catch (const MediaMtxError& e)
	{
		EXPECT_EQ(e.status(), 401);
	}
	MediaMtxClient client(Poco::URI(mtx.url()), "api", "secret", 2000);
	EXPECT_EQ(client.info().version, "v1.20.1");
	mtx.stop();
	try
	{
		client.info();
		FAIL() << "a stopped MediaMTX must be unreachable";
	}
	catch (const MediaMtxError& e)
	{
		EXPECT_TRUE(e.unreachable());
	}
	mtx.start();
	EXPECT_EQ(client.info().version, "v1.20.1"); // the broken keep-alive connection is replaced
}

TEST(PathManager, ReconcilesRestartsManualRemovalsOutagesAndReleases)
{
	MediaMtxDouble mtx;
	MediaMtxClient client(Poco::URI(mtx.url()), "", "", 1000);
	std::vector<bool> health;
	PathManager paths(client, Poco::Logger::get("test"), [&](bool up, const std::string&) { health.push_back(up); });
	paths.ensure("camera0");
	EXPECT_TRUE(mtx.hasPath("camera0"));
	EXPECT_EQ(mtx.pathConfig("camera0")->getValue<std::string>("source"), "publisher");

	// Already there with another source: read and patched, not assumed.
	client.replacePath("camera1", conf({{"source", "rtsp://elsewhere/x"}}));
	paths.ensure("camera1");
	EXPECT_EQ(mtx.pathConfig("camera1")->getValue<std::string>("source"), "publisher");

	mtx.restart(); // MediaMTX forgets API changes
	EXPECT_FALSE(mtx.hasPath("camera0"));
	paths.reconcile();
	EXPECT_TRUE(mtx.hasPath("camera0"));
	EXPECT_TRUE(mtx.hasPath("camera1"));

	mtx.removePathByHand("camera1");
	paths.reconcile();
	EXPECT_TRUE(mtx.hasPath("camera1"));

	int port = mtx.port();
	mtx.stop();
	EXPECT_THROW(paths.ensure("camera2"), MediaMtxError);
	paths.reconcile(); // must not throw
	EXPECT_FALSE(paths.reachable());
	mtx.start();
	EXPECT_EQ(mtx.port(), port);
	mtx.restart();
	paths.reconcile();
	EXPECT_TRUE(paths.reachable());
	EXPECT_TRUE(mtx.hasPath("camera2")); // wanted while MediaMTX was down: applied when it came back

	paths.release("camera1");
	paths.reconcile();
	EXPECT_FALSE(mtx.hasPath("camera1"));
	ASSERT_GE(health.size(), 3u);
	EXPECT_TRUE(health.front());
	EXPECT_FALSE(health[1]);
	EXPECT_TRUE(health.back());
}

struct Probe
{
	int frames = 0;
	int width = 0;
	int height = 0;
	double seconds = 0;
};

Probe probe(const std::string& file)
{
	Probe p;
	AVFormatContext* fmt = nullptr;
	if (avformat_open_input(&fmt, file.c_str(), nullptr, nullptr) < 0)
		return p;
	avformat_find_stream_info(fmt, nullptr);
	int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
	if (video >= 0)
	{
		p.width = fmt->streams[video]->codecpar->width;
		p.height = fmt->streams[video]->codecpar->height;
		AVPacket* pkt = av_packet_alloc();
		std::int64_t first = AV_NOPTS_VALUE, last = 0;
		while (av_read_frame(fmt, pkt) >= 0)
		{
			if (pkt->stream_index == video)
			{
				++p.frames;
				if (first == AV_NOPTS_VALUE)
					first = pkt->pts;
				last = pkt->pts;
			}
			av_packet_unref(pkt);
		}
		av_packet_free(&pkt);
		if (first != AV_NOPTS_VALUE)
			p.seconds = static_cast<double>(last - first) * av_q2d(fmt->streams[video]->time_base);
	}
	avformat_close_input(&fmt);
	return p;
}

std::unique_ptr<ChildProcess> rtspPeer(int port, const std::string& out, const std::string& log)
{
	return std::make_unique<ChildProcess>(std::vector<std::string>{"ffmpeg", "-nostdin", "-loglevel", "warning", "-y",
		"-rtsp_flags", "listen", "-timeout", "20", "-i", "rtsp://127.0.0.1:" + std::to_string(port) + "/camera0",
		"-c", "copy", "-f", "mpegts", out}, log);
}

TEST(RtspPublisher, PublishesToARealRtspPeerAndResumesAfterItComesBack)
{
	std::string dir = makeTempDir("camsvc-rtsp");
	int port = ServerProcess::freePort();
	cameras::PipelineOptions options;
	options.source = cameras::parseSourceUrl("testsrc://?size=320x240&rate=15");
	cameras::CapturePipeline pipeline("camera0", options, [](auto, const auto&, const auto&) {}, Poco::Logger::get("test"));

	auto peer = rtspPeer(port, dir + "/first.ts", dir + "/peer1.log");
	ASSERT_TRUE(waitUntil([&] { return tcpQueues(port).listening; }, 5000)) << "ffmpeg listens";
	auto publisher = std::make_shared<RtspPublisher>("rtsp://127.0.0.1:" + std::to_string(port) + "/camera0",
		Poco::Logger::get("test"), std::chrono::milliseconds(200), std::chrono::milliseconds(1000));
	auto subscription = pipeline.subscribe(publisher);
	waitUntil([&] { return publisher->stats().packetsSent >= 45; }, 10000, 100);
	auto stats = publisher->stats();
	ASSERT_GE(stats.packetsSent, 45u) << peer->output();
	std::cout << "first packet published after " << stats.firstPacketSeconds << " s" << std::endl;

	peer->stop(SIGINT, 5000); // the peer goes away (and finishes its file)
	Probe first = probe(dir + "/first.ts");
	EXPECT_EQ(first.width, 320);
	EXPECT_EQ(first.height, 240);
	EXPECT_GE(first.frames, 30);
	if (first.seconds > 0)
	{
		EXPECT_NEAR(first.frames / first.seconds, 15.0, 3.0); // the camera's rate arrived
	}

	auto sentBefore = publisher->stats().packetsSent;
	peer = rtspPeer(port, dir + "/second.ts", dir + "/peer2.log");
	waitUntil([&] { return publisher->stats().packetsSent >= sentBefore + 30; }, 15000, 100);
	stats = publisher->stats();
	EXPECT_GE(stats.connects, 2);
	EXPECT_GE(stats.packetsSent, sentBefore + 30) << peer->output();
	std::cout << "publishing resumed " << stats.lastReconnectSeconds << " s after the outage was noticed" << std::endl;
	subscription.reset();
	publisher->stop();
	peer->stop(SIGINT, 5000);
	Probe second = probe(dir + "/second.ts");
	EXPECT_EQ(second.width, 320);
	EXPECT_GE(second.frames, 15);
	removeTree(dir);
}

} // namespace
