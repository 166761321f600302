//
// CamerasUnitTest.cpp
//
// Source parsing, V4L2 probing (error paths; no camera here), hot-plug on a
// watched directory, naming, and real capture pipelines: a test pattern and
// a network stream from an ffmpeg process that dies and comes back.
//

#include "CameraManager.h"
#include "FfmpegLog.h"
#include "V4l2Mode.h"
#include "camsvc/sdk/Redact.h"
#include "CameraTestSupport.h"
#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Util/MapConfiguration.h>
#include <atomic>
#include <fstream>
#include <gtest/gtest.h>

using namespace camsvc;
using namespace camsvc::cameras;
using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

namespace {

PipelineOptions quickOptions(const std::string& url)
{
	PipelineOptions o;
	o.source = parseSourceUrl(url);
	o.idleLinger = std::chrono::milliseconds(200);
	o.backoffInitial = std::chrono::milliseconds(200);
	o.backoffMax = std::chrono::milliseconds(500);
	o.frameLease = std::chrono::milliseconds(500);
	return o;
}

TEST(SourceSpec, TestPatternUrlBecomesLavfiTestsrc2)
{
	auto s = parseSourceUrl("testsrc://?size=320x240&rate=15");
	EXPECT_EQ(s.kind, "testsrc");
	EXPECT_EQ(s.inputFormat, "lavfi");
	EXPECT_EQ(s.url, "testsrc2=size=320x240:rate=15");
	EXPECT_EQ(s.width, 320);
	EXPECT_EQ(s.height, 240);
	EXPECT_DOUBLE_EQ(s.fps, 15);
	EXPECT_TRUE(s.paced);
	EXPECT_EQ(parseSourceUrl("testsrc://").url, "testsrc2=size=1280x720:rate=30");
}

TEST(SourceSpec, BadUrlsAreRefused)
{
	for (const char* url: {"testsrc://?size=big", "testsrc://?rate=0", "testsrc://?bogus=1", "testsrc://?pattern=;rm", "gopher://x", "file:"})
		EXPECT_THROW(parseSourceUrl(url), std::invalid_argument) << url;
}

TEST(SourceSpec, NetworkUrlsWithoutAHostAreRefused)
{
	// Found by fuzz_source_spec: "rtsp://" was accepted (its public id became
	// "rtsp:"), and the camera would have failed in FFmpeg on every restart.
	for (const char* url: {"rtsp://", "rtsps:///stream", "rtsp://user:pw@/stream", "tcp://:5000", "udp://"})
		EXPECT_THROW(parseSourceUrl(url), std::invalid_argument) << url;
	EXPECT_EQ(parseSourceUrl("rtsp://[fe80::1]:8554/s").kind, "rtsp");
}

TEST(SourceSpec, UrlsWithControlCharactersAreRefused)
{
	// A NUL would cut the URL FFmpeg opens short of the declared one.
	using namespace std::string_literals;
	EXPECT_THROW(parseSourceUrl("rtsp://\0\0user:secret@10.0.0.5:554/stream1"s), std::invalid_argument);
	EXPECT_THROW(parseSourceUrl("rtsp://10.0.0.5/a\nb"), std::invalid_argument);
	EXPECT_THROW(parseSourceUrl("file:/tmp/a\x7f.mp4"), std::invalid_argument);
	EXPECT_THROW(parseSourceUrl("testsrc://?size=320x240\t"), std::invalid_argument);
	EXPECT_EQ(parseSourceUrl("file:/tmp/a b.mp4").url, "/tmp/a b.mp4");
}

TEST(SourceSpec, NetworkCredentialsNeverShowInTheDeviceId)
{
	auto rtsp = parseSourceUrl("rtsp://admin:secret@10.0.0.5:554/stream1");
	EXPECT_EQ(rtsp.kind, "rtsp");
	EXPECT_EQ(rtsp.url, "rtsp://admin:secret@10.0.0.5:554/stream1");
	EXPECT_EQ(rtsp.publicId.find("secret"), std::string::npos);
	EXPECT_EQ(rtsp.options.at("rtsp_transport"), "tcp");
	auto tcp = parseSourceUrl("tcp://127.0.0.1:5000");
	EXPECT_EQ(tcp.kind, "network");
	auto file = parseSourceUrl("file:/var/media/loop.mp4");
	EXPECT_EQ(file.url, "/var/media/loop.mp4");
	EXPECT_TRUE(file.loop);
}

TEST(Redact, NoCredentialsSurviveInAShownUrl)
{
	EXPECT_EQ(sdk::redactUrl("rtsp://u:p@cam:8554/s?password=a&Token=b&x=1"), "rtsp://cam:8554/s?password=REDACTED&Token=REDACTED&x=1");
	for (const char* name: {"pass", "pwd", "key", "secret", "auth", "PASSWORD"})
		EXPECT_EQ(sdk::redactUrl(std::string("tcp://h:1?") + name + "=hide").find("hide"), std::string::npos) << name;
	EXPECT_EQ(sdk::redactUrl("testsrc://?size=320x240&rate=15"), "testsrc://?size=320x240&rate=15"); // nothing secret: unchanged
	EXPECT_EQ(sdk::redactUrl("http://[::1"), "http://REDACTED"); // unparsable: nothing after the scheme
	EXPECT_EQ(sdk::redactUrlsIn("cannot open rtsp://u:p@h/s: refused", "rtsp://u:p@h/s"), "cannot open rtsp://h/s: refused");
}

TEST(SourceSpec, ErrorsNeverQuoteTheSecret)
{
	try
	{
		parseSourceUrl("gopher://u:hunter2@h/?token=abc");
		FAIL();
	}
	catch (const std::invalid_argument& e)
	{
		EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
		EXPECT_EQ(std::string(e.what()).find("abc"), std::string::npos);
	}
}

TEST(V4l2Device, NamesAndFormats)
{
	EXPECT_EQ(videoIndex("video0"), 0);
	EXPECT_EQ(videoIndex("video12"), 12);
	EXPECT_EQ(videoIndex("video"), -1);
	EXPECT_EQ(videoIndex("video1a"), -1);
	EXPECT_EQ(videoIndex("vbi0"), -1);
	EXPECT_EQ(fourccName(0x47504A4D), "MJPG");
	EXPECT_EQ(friendlyFormat("MJPG"), "MJPEG");
	EXPECT_EQ(friendlyFormat("YUYV"), "YUYV");
}

TEST(V4l2Device, NonV4l2NodesAreNotCameras)
{
	std::string error;
	EXPECT_FALSE(probeV4l2("/dev/null", &error)); // a character device, but not V4L2
	EXPECT_FALSE(error.empty());
	EXPECT_FALSE(probeV4l2("/nonexistent/video0", &error));
	EXPECT_NE(error.find("open"), std::string::npos);
}

TEST(DeviceWatcher, SeesNodesComeAndGoWithin100ms)
{
	std::string dir = makeTempDir("camsvc-dev");
	std::mutex m;
	std::condition_variable cv;
	std::vector<std::pair<std::string, bool>> events;
	DeviceWatcher watcher(dir, [&](const std::string& path, bool present) {
		std::lock_guard lock(m);
		events.emplace_back(path, present);
		cv.notify_all();
	});
	std::ofstream(dir + "/video5") << "";
	EXPECT_EQ(watcher.scan(), std::vector<std::string>{dir + "/video5"});
	watcher.start();
	auto waitFor = [&](std::size_t n) {
		std::unique_lock lock(m);
		return cv.wait_for(lock, std::chrono::seconds(2), [&] { return events.size() >= n; });
	};
	auto t0 = Clock::now();
	std::ofstream(dir + "/video7") << "";
	ASSERT_TRUE(waitFor(1));
	auto added = Clock::now() - t0;
	EXPECT_EQ(events[0], std::make_pair(dir + "/video7", true));
	std::ofstream(dir + "/media0") << ""; // not a video node: ignored
	t0 = Clock::now();
	std::filesystem::remove(dir + "/video7");
	ASSERT_TRUE(waitFor(2));
	auto removed = Clock::now() - t0;
	EXPECT_EQ(events.back(), std::make_pair(dir + "/video7", false));
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(added).count(), 100);
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(removed).count(), 100);
	watcher.stop();
	removeTree(dir);
}

TEST(CameraManager, HotPlugAddsRemovesAndRestoresCamerasWithStableNames)
{
	std::string dir = makeTempDir("camsvc-dev");
	Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
	config->setString("cameras.v4l2.device_dir", dir);
	config->setString("cameras.sources.pattern.url", "testsrc://?size=320x240&rate=15");
	// The capability part is injected: no camera on this machine. Odd nodes are metadata nodes.
	CameraManager manager(*config, Poco::Logger::get("test"), [](const std::string& path) {
		V4l2Capabilities caps;
		caps.card = "Fake UVC Camera";
		caps.capture = videoIndex(path.substr(path.rfind('/') + 1)) % 2 == 0;
		caps.formats = {{"MJPG", "Motion-JPEG", {{1920, 1080}, {1280, 720}}, {30, 15}}, {"YUYV", "YUYV 4:2:2", {{640, 480}}, {30}}};
		return std::optional<V4l2Capabilities>(caps);
	});
	std::mutex m;
	std::condition_variable cv;
	std::vector<sdk::CameraInfo> seen;
	auto watch = manager.watchCameras([&](const sdk::CameraInfo& info) {
		std::lock_guard lock(m);
		seen.push_back(info);
		cv.notify_all();
	});
	std::ofstream(dir + "/video0") << "";
	manager.start();
	auto list = manager.cameras();
	ASSERT_EQ(list.size(), 2u);
	EXPECT_EQ(list[0]->name, "camera0");
	EXPECT_EQ(list[0]->device, dir + "/video0");
	EXPECT_EQ(list[0]->label, "Fake UVC Camera");
	EXPECT_EQ(list[0]->formats, (std::vector<std::string>{"MJPEG", "YUYV"}));
	EXPECT_EQ(list[0]->resolutions.front(), "1920x1080");
	EXPECT_EQ(list[1]->name, "camera100"); // declared sources start at 100
	EXPECT_EQ(list[1]->device, "camera100"); // and their device is the name, never the URL
	EXPECT_EQ(list[1]->sourceUrl, "testsrc://?size=320x240&rate=15");
	EXPECT_EQ(manager.find("testsrc://?size=320x240&rate=15")->name, "camera100");
	EXPECT_EQ(manager.find(dir + "/video0")->name, "camera0");
	EXPECT_EQ(manager.find("camera100")->source, "testsrc");
	EXPECT_FALSE(manager.find("camera9"));

	auto waitSeen = [&](std::size_t n) {
		std::unique_lock lock(m);
		return cv.wait_for(lock, std::chrono::seconds(2), [&] { return seen.size() >= n; });
	};
	std::size_t before = seen.size();
	// The metadata node first: the watcher handles its events in order, so
	// once camera2 is seen, video3 has been looked at (and is no camera).
	std::ofstream(dir + "/video3") << "";
	std::ofstream(dir + "/video2") << "";
	ASSERT_TRUE(waitSeen(before + 1));
	EXPECT_EQ(seen.back().name, "camera2");
	EXPECT_EQ(seen.back().state, sdk::CameraState::Connected);
	EXPECT_FALSE(manager.find("camera3"));

	std::filesystem::remove(dir + "/video2");
	ASSERT_TRUE(waitSeen(before + 2));
	EXPECT_EQ(seen.back().state, sdk::CameraState::Disconnected);
	EXPECT_EQ(manager.find("camera2")->state, sdk::CameraState::Disconnected);
	EXPECT_THROW(manager.latestFrame("camera2", std::chrono::milliseconds(10)), sdk::RpcError);

	std::ofstream(dir + "/video2") << "";
	ASSERT_TRUE(waitSeen(before + 3));
	EXPECT_EQ(seen.back().name, "camera2");
	EXPECT_EQ(seen.back().state, sdk::CameraState::Connected);
	manager.stop();
	removeTree(dir);
}

TEST(CapturePipeline, TestPatternDeliversDecodableH264AndFramesThenStops)
{
	int baseline = threadCount();
	std::atomic<int> connected{0};
	CapturePipeline pipeline("camera100", quickOptions("testsrc://?size=320x240&rate=15"),
		[&](sdk::CameraState s, const std::string&, const std::string&) { connected += s == sdk::CameraState::Connected; }, Poco::Logger::get("test"));
	EXPECT_FALSE(pipeline.stats().running); // on demand only
	auto sink = std::make_shared<RecordingSink>();
	auto subscription = pipeline.subscribe(sink);
	ASSERT_TRUE(sink->waitUntil([](RecordingSink& s) { return s.frames >= 10; }));
	{
		std::lock_guard lock(sink->mutex);
		EXPECT_EQ(sink->starts, 1);
		EXPECT_TRUE(sink->firstWasKey);
		EXPECT_TRUE(sink->monotonic);
		EXPECT_EQ(sink->width, 320);
		EXPECT_EQ(sink->height, 240);
		EXPECT_EQ(sink->info.width, 320);
		EXPECT_EQ(sink->info.codecParameters->codec_id, AV_CODEC_ID_H264);
		EXPECT_GT(sink->info.codecParameters->extradata_size, 0);
	}
	EXPECT_EQ(connected.load(), 1);
	auto frame = pipeline.latestFrame(std::chrono::milliseconds(2000));
	ASSERT_TRUE(frame);
	EXPECT_EQ(frame->width, 320);
	EXPECT_EQ(frame->height, 240);
	auto stats = pipeline.stats();
	EXPECT_TRUE(stats.running);
	EXPECT_EQ(stats.sinks, 1);
	EXPECT_GT(stats.bytes, 0u);

	subscription.reset();
	int packetsAtUnsubscribe = sink->packets;
	EXPECT_TRUE(waitUntil([&] { return !pipeline.stats().running; }, 5000));
	EXPECT_EQ(sink->packets, packetsAtUnsubscribe); // nothing after unsubscribing
	EXPECT_TRUE(waitUntil([&] { return threadCount() <= baseline; }, 2000));
	EXPECT_EQ(threadCount(), baseline); // encoder and capture threads are gone
}

TEST(CapturePipeline, LatestFrameStartsAnIdlePipeline)
{
	CapturePipeline pipeline("camera100", quickOptions("testsrc://?size=320x240&rate=15"), [](auto, const auto&, const auto&) {}, Poco::Logger::get("test"));
	auto t0 = Clock::now();
	auto frame = pipeline.latestFrame(std::chrono::milliseconds(5000));
	ASSERT_TRUE(frame);
	EXPECT_EQ(frame->width, 320);
	EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count(), 3000);
}

TEST(CapturePipeline, NetworkSourceThatDiesRecovers)
{
	int port = ServerProcess::freePort();
	std::string dir = makeTempDir("camsvc-net");
	auto peer = ffmpegTcpCamera(port, dir + "/ffmpeg.log");
	std::mutex m;
	std::vector<sdk::CameraState> states;
	CapturePipeline pipeline("camera101", quickOptions("tcp://127.0.0.1:" + std::to_string(port)),
		[&](sdk::CameraState s, const std::string&, const std::string&) { std::lock_guard lock(m); states.push_back(s); }, Poco::Logger::get("test"));
	auto sink = std::make_shared<RecordingSink>();
	auto subscription = pipeline.subscribe(sink);
	ASSERT_TRUE(sink->waitUntil([](RecordingSink& s) { return s.frames >= 10; }, 20000)) << peer->output();
	EXPECT_EQ(sink->width, 320);
	EXPECT_TRUE(sink->firstWasKey);

	peer->stop(SIGKILL);
	ASSERT_TRUE(sink->waitUntil([](RecordingSink& s) { return !s.ends.empty(); }, 15000));
	EXPECT_NE(sink->ends.front(), sdk::StreamEnd::Stopped);
	int framesBefore = sink->frames;

	peer = ffmpegTcpCamera(port, dir + "/ffmpeg2.log");
	ASSERT_TRUE(sink->waitUntil([&](RecordingSink& s) { return s.starts >= 2 && s.frames >= framesBefore + 10; }, 30000)) << peer->output();
	{
		std::lock_guard lock(m);
		// (ffmpeg may not listen yet at the first attempt: an Error can come first.)
		auto up = std::find(states.begin(), states.end(), sdk::CameraState::Connected);
		ASSERT_NE(up, states.end());
		EXPECT_NE(std::find(up, states.end(), sdk::CameraState::Error), states.end());
		EXPECT_EQ(states.back(), sdk::CameraState::Connected);
	}
	subscription.reset();
	pipeline.shutdown();
	peer.reset();
	removeTree(dir);
}

} // namespace

namespace {

V4l2Capabilities uvcCamera()
{
	V4l2Capabilities caps;
	caps.capture = true;
	caps.formats = {{"YUYV", "YUYV 4:2:2", {{640, 480}, {1280, 720}}, {30, 10}, {{30, 15}, {10}}},
		{"MJPG", "Motion-JPEG", {{1280, 720}, {640, 480}}, {30}, {{30}, {30}}}};
	return caps;
}

} // namespace

TEST(V4l2Mode, HighResolutionsPreferMjpegOverRawAtTheHighestRate)
{
	auto mode = chooseV4l2Mode(uvcCamera(), "", "", "");
	ASSERT_TRUE(mode);
	EXPECT_EQ(mode->fourcc, "MJPG");
	EXPECT_EQ(mode->width, 1280);
	EXPECT_EQ(mode->fps, 30);
	EXPECT_EQ(mode->inputFormat(), "mjpeg");
}

TEST(V4l2Mode, SmallSizesPreferRawYuyv)
{
	auto mode = chooseV4l2Mode(uvcCamera(), "640x480", "", "");
	ASSERT_TRUE(mode);
	EXPECT_EQ(mode->fourcc, "YUYV");
	EXPECT_EQ(mode->fps, 30);
	EXPECT_EQ(mode->inputFormat(), "yuyv422");
}

TEST(V4l2Mode, H264IsPreferredWhereOffered)
{
	V4l2Capabilities caps = uvcCamera();
	caps.formats.push_back({"H264", "H.264", {{1280, 720}}, {30}, {{30}}});
	auto mode = chooseV4l2Mode(caps, "", "", "");
	ASSERT_TRUE(mode);
	EXPECT_EQ(mode->fourcc, "H264");
	EXPECT_EQ(chooseV4l2Mode(caps, "640x480", "", "")->fourcc, "YUYV") << "H.264 only where the camera offers it at that size";
}

TEST(V4l2Mode, ConfigurationNarrowsTheChoice)
{
	auto mode = chooseV4l2Mode(uvcCamera(), "1280x720", "12", "yuyv422");
	ASSERT_TRUE(mode);
	EXPECT_EQ(mode->fourcc, "YUYV");
	EXPECT_EQ(mode->fps, 10) << "the nearest rate the camera offers at that size";
	EXPECT_EQ(chooseV4l2Mode(uvcCamera(), "", "", "MJPEG")->fourcc, "MJPG");
	EXPECT_EQ(chooseV4l2Mode(uvcCamera(), "", "", "NV12")->fourcc, "MJPG") << "a format the camera lacks is ignored";
	auto unlisted = chooseV4l2Mode(uvcCamera(), "800x600", "", "");
	EXPECT_EQ(unlisted->width, 800) << "the driver picks the nearest size";
	EXPECT_FALSE(chooseV4l2Mode(V4l2Capabilities(), "", "", ""));
}

TEST(FfmpegLog, LevelsMapToTheServicePriorities)
{
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_PANIC), Poco::Message::PRIO_CRITICAL);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_FATAL), Poco::Message::PRIO_CRITICAL);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_ERROR), Poco::Message::PRIO_ERROR);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_WARNING), Poco::Message::PRIO_WARNING);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_INFO), Poco::Message::PRIO_DEBUG);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_VERBOSE), Poco::Message::PRIO_DEBUG);
	EXPECT_EQ(ffmpegLogPriority(AV_LOG_DEBUG), Poco::Message::PRIO_TRACE);
}

namespace {

class KeepMessages: public Poco::Channel
{
public:
	void log(const Poco::Message& msg) override
	{
		std::lock_guard lock(mutex);
		messages.push_back(msg);
	}
	std::mutex mutex;
	std::vector<Poco::Message> messages;
};

} // namespace

TEST(FfmpegLog, LinesGoToTheLoggerOnceJoinedAndRepeatsAreDemoted)
{
	Poco::Logger& logger = Poco::Logger::get("test");
	Poco::AutoPtr<KeepMessages> channel(new KeepMessages);
	Poco::AutoPtr<Poco::Channel> previous(logger.getChannel(), true);
	int level = logger.getLevel();
	logger.setChannel(channel);
	logger.setLevel(Poco::Message::PRIO_DEBUG);
	routeFfmpegLog(logger);
	av_log(nullptr, AV_LOG_ERROR, "ioctl(VIDIOC_DQBUF): ");
	av_log(nullptr, AV_LOG_ERROR, "No such device %d\n", 19);
	av_log(nullptr, AV_LOG_ERROR, "ioctl(VIDIOC_DQBUF): No such device 19\n");
	av_log(nullptr, AV_LOG_DEBUG, "per-packet detail\n"); // trace: below the logger's level
	logger.setChannel(previous);
	logger.setLevel(level);
	ASSERT_EQ(channel->messages.size(), 2u);
	EXPECT_EQ(channel->messages[0].getText(), "ffmpeg: ioctl(VIDIOC_DQBUF): No such device 19");
	EXPECT_EQ(channel->messages[0].getPriority(), Poco::Message::PRIO_ERROR);
	EXPECT_EQ(channel->messages[1].getPriority(), Poco::Message::PRIO_DEBUG) << "the same line again within a minute";
}
