//
// RecorderTest.cpp
//
// The recorder sink on its own, fed by a real libx264 stream: the files it
// writes decode (MP4 fragmented, MKV), with the media time fed; it stops by
// itself at the duration, on camera loss and on a full disk (RLIMIT_FSIZE in
// a child process); a pipeline restart continues the timeline; and a process
// killed mid-recording leaves a playable file missing at most one fragment.
//

#include "MediaCheck.h"
#include "Recorder.h"
#include "support/WaitUntil.h"
#include <Poco/TemporaryFile.h>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace camsvc::recording;
using namespace camsvc::test;

namespace {

class TempDir
{
public:
	TempDir(): _path(Poco::TemporaryFile::tempName())
	{
		std::filesystem::create_directories(_path);
	}
	~TempDir() { std::filesystem::remove_all(_path); }
	std::string file(const std::string& name) const { return _path + "/" + name; }

private:
	std::string _path;
};

struct EndSignal
{
	std::atomic<int> calls{0};
	std::atomic<EndReason> reason{EndReason::Requested};
	Recorder::EndCallback callback()
	{
		return [this](EndReason r, const std::string&) {
			reason = r;
			++calls;
		};
	}
	bool wait(int ms = 5000)
	{
		return waitUntil([this] { return calls > 0; }, ms);
	}
};

RecorderOptions options(const std::string& path, const std::string& format = "mp4")
{
	RecorderOptions o;
	o.path = path;
	o.format = format;
	return o;
}

bool hasBox(const std::string& bytes, const char* type)
{
	return bytes.find(type) != std::string::npos;
}

} // namespace

TEST(Recorder, WritesAFragmentedMp4ThatDecodes)
{
	TempDir dir;
	H264TestStream stream(320, 240, 25);
	auto recorder = std::make_shared<Recorder>(options(dir.file("a.mp4")), nullptr);
	stream.feed(*recorder, 3.0);
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_EQ(r.reason, EndReason::Requested);
	EXPECT_TRUE(r.fileCreated);
	EXPECT_EQ(r.packets, 75);
	EXPECT_NEAR(r.seconds, 3.0, 0.01);
	EXPECT_EQ(r.bytes, std::filesystem::file_size(dir.file("a.mp4")));

	MediaSummary m = decodeMedia(dir.file("a.mp4"));
	EXPECT_TRUE(decodesAs(m, {"h264", 320, 240, 75, 3.0, 0.05}));
	std::string bytes = readFileBytes(dir.file("a.mp4"));
	EXPECT_TRUE(hasBox(bytes, "moof")) << "fragmented";
	EXPECT_TRUE(hasBox(bytes, "mvex"));
	// A fragment per keyframe (one a second): at least three.
	std::size_t fragments = 0;
	for (auto at = bytes.find("moof"); at != std::string::npos; at = bytes.find("moof", at + 4))
		++fragments;
	EXPECT_GE(fragments, 3u);
}

TEST(Recorder, WritesMatroskaThatDecodes)
{
	TempDir dir;
	H264TestStream stream(320, 240, 25);
	auto recorder = std::make_shared<Recorder>(options(dir.file("a.mkv"), "mkv"), nullptr);
	stream.feed(*recorder, 2.0);
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_TRUE(r.fileCreated);
	MediaSummary m = decodeMedia(dir.file("a.mkv"));
	ASSERT_TRUE(m.opened);
	EXPECT_EQ(m.container, "matroska,webm");
	EXPECT_EQ(m.frames, 50);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_NEAR(m.seconds, 2.0, 0.05);
}

TEST(Recorder, StopsByItselfAtTheDuration)
{
	TempDir dir;
	H264TestStream stream(320, 240, 25);
	EndSignal end;
	auto o = options(dir.file("d.mp4"));
	o.maxSeconds = 2;
	auto recorder = std::make_shared<Recorder>(o, end.callback());
	stream.feed(*recorder, 4.0);
	ASSERT_TRUE(end.wait());
	EXPECT_EQ(end.reason.load(), EndReason::DurationReached);
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_EQ(r.reason, EndReason::DurationReached) << "its own reason is kept";
	EXPECT_EQ(end.calls.load(), 1);
	MediaSummary m = decodeMedia(dir.file("d.mp4"));
	EXPECT_EQ(m.frames, 50);
	EXPECT_NEAR(m.seconds, 2.0, 0.05);
}

TEST(Recorder, DurationAlsoEndsAStalledCamera)
{
	TempDir dir;
	EndSignal end;
	auto o = options(dir.file("stall.mp4"));
	o.maxSeconds = 0.2;
	o.stallGrace = std::chrono::milliseconds(100);
	auto recorder = std::make_shared<Recorder>(o, end.callback());
	ASSERT_TRUE(end.wait(3000));
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_EQ(r.reason, EndReason::DurationReached);
	EXPECT_FALSE(r.fileCreated) << "no packet, no file";
	EXPECT_FALSE(std::filesystem::exists(dir.file("stall.mp4")));
}

TEST(Recorder, CameraLossFinalizesTheFile)
{
	TempDir dir;
	H264TestStream stream(320, 240, 25);
	EndSignal end;
	auto recorder = std::make_shared<Recorder>(options(dir.file("lost.mp4")), end.callback());
	stream.feed(*recorder, 1.5);
	recorder->onStreamEnd(camsvc::sdk::StreamEnd::SourceLost, "device vanished");
	ASSERT_TRUE(end.wait());
	EXPECT_EQ(end.reason.load(), EndReason::CameraLost);
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_EQ(r.reason, EndReason::CameraLost);
	EXPECT_EQ(r.detail, "device vanished");
	stream.feed(*recorder, 0.5, false); // late packets are ignored
	MediaSummary m = decodeMedia(dir.file("lost.mp4"));
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_NEAR(m.seconds, 1.52, 0.05);
}

TEST(Recorder, PipelineRestartContinuesTheTimeline)
{
	TempDir dir;
	auto recorder = std::make_shared<Recorder>(options(dir.file("r.mp4")), nullptr);
	{
		H264TestStream first(320, 240, 25);
		first.feed(*recorder, 1.0);
	}
	recorder->onStreamEnd(camsvc::sdk::StreamEnd::Error, "x"); // not lost: still an end
	H264TestStream second(320, 240, 25);
	auto rec2 = std::make_shared<Recorder>(options(dir.file("r2.mp4")), nullptr);
	{
		H264TestStream first(320, 240, 25);
		first.feed(*rec2, 1.0);
	}
	second.feed(*rec2, 1.0); // onStreamStart again, timestamps from 0
	RecorderResult r = rec2->stop(EndReason::Requested);
	EXPECT_EQ(r.packets, 50);
	MediaSummary m = decodeMedia(dir.file("r2.mp4"));
	EXPECT_EQ(m.frames, 50);
	EXPECT_NEAR(m.seconds, 2.0, 0.05);
	EXPECT_EQ(recorder->stop(EndReason::Requested).reason, EndReason::CameraError);
}

TEST(Recorder, ADifferentStreamAfterRestartEndsTheRecording)
{
	TempDir dir;
	EndSignal end;
	auto recorder = std::make_shared<Recorder>(options(dir.file("c.mp4")), end.callback());
	H264TestStream small(320, 240, 25), large(640, 480, 25);
	small.feed(*recorder, 0.5);
	large.feed(*recorder, 0.5);
	ASSERT_TRUE(end.wait());
	EXPECT_EQ(end.reason.load(), EndReason::StreamChanged);
	EXPECT_EQ(decodeMedia(dir.file("c.mp4")).width, 320);
}

TEST(Recorder, NeverOverwritesAnExistingFile)
{
	TempDir dir;
	std::filesystem::path existing = dir.file("x.mp4");
	{
		std::ofstream(existing) << "keep me";
	}
	EndSignal end;
	auto recorder = std::make_shared<Recorder>(options(existing), end.callback());
	H264TestStream stream(320, 240, 25);
	stream.feed(*recorder, 0.2);
	ASSERT_TRUE(end.wait());
	EXPECT_EQ(end.reason.load(), EndReason::WriteError);
	EXPECT_EQ(readFileBytes(existing), "keep me");
}

TEST(Recorder, NeverWritesThroughAPlantedLink)
{
	// A link planted at the recording's name (dangling or not) is not
	// followed: the target is neither created nor overwritten.
	TempDir dir;
	std::filesystem::path victim = dir.file("victim.txt");
	{
		std::ofstream(victim) << "keep me";
	}
	std::filesystem::create_symlink(victim, dir.file("l.mp4"));
	std::filesystem::create_symlink(dir.file("absent.txt"), dir.file("d.mp4"));
	for (const char* name: {"l.mp4", "d.mp4"})
	{
		EndSignal end;
		auto recorder = std::make_shared<Recorder>(options(dir.file(name)), end.callback());
		H264TestStream stream(320, 240, 25);
		stream.feed(*recorder, 0.2);
		ASSERT_TRUE(end.wait()) << name;
		EXPECT_EQ(end.reason.load(), EndReason::WriteError) << name;
	}
	EXPECT_EQ(readFileBytes(victim), "keep me");
	EXPECT_FALSE(std::filesystem::exists(dir.file("absent.txt")));
}

TEST(Recorder, AFullQueueDropsUpToTheNextKeyframe)
{
	TempDir dir;
	H264TestStream stream(320, 240, 25);
	auto packets = stream.packets(4.0);
	auto o = options(dir.file("q.mp4"));
	o.queueBytes = 4000; // a few packets
	auto recorder = std::make_shared<Recorder>(o, nullptr);
	recorder->onStreamStart(stream.info());
	for (auto& p: packets)
		recorder->onPacket(*p);
	RecorderResult r = recorder->stop(EndReason::Requested);
	EXPECT_EQ(r.packets + static_cast<std::int64_t>(r.dropped), static_cast<std::int64_t>(packets.size()));
	MediaSummary m = decodeMedia(dir.file("q.mp4"));
	EXPECT_EQ(m.decodeErrors, 0) << "nothing undecodable was written";
	EXPECT_EQ(m.frames, r.packets);
}

TEST(Recorder, AFullDiskStopsAndFinalizes)
{
	TempDir dir;
	std::string path = dir.file("full.mp4");
	pid_t child = ::fork();
	ASSERT_GE(child, 0);
	if (child == 0)
	{
		// The file system refuses writes past 60 KB (EFBIG, like ENOSPC for us).
		std::signal(SIGXFSZ, SIG_IGN);
		rlimit limit{60 * 1024, 60 * 1024};
		::setrlimit(RLIMIT_FSIZE, &limit);
		EndSignal end;
		H264TestStream stream(320, 240, 25);
		auto recorder = std::make_shared<Recorder>(options(path), end.callback());
		stream.feed(*recorder, 10.0);
		bool ended = end.wait();
		RecorderResult r = recorder->stop(EndReason::Requested);
		::_exit(ended && r.reason == EndReason::StorageFull && r.bytes <= 60 * 1024 ? 0 : 1);
	}
	int status = 0;
	::waitpid(child, &status, 0);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0) << "the recorder ended with storage_full";
	MediaSummary m = decodeMedia(path);
	EXPECT_TRUE(m.opened) << "what fitted is playable";
	EXPECT_GT(m.frames, 0);
	EXPECT_EQ(m.decodeErrors, 0) << "a write cut short is cut back to the last whole fragment";
}

TEST(Recorder, AKilledProcessLeavesAPlayableFile)
{
	for (std::string format: {"mp4", "mkv"})
	{
		TempDir dir;
		std::string path = dir.file("crash." + format);
		pid_t child = ::fork();
		ASSERT_GE(child, 0);
		if (child == 0)
		{
			H264TestStream stream(320, 240, 25);
			auto recorder = std::make_shared<Recorder>(options(path, format), nullptr);
			recorder->onStreamStart(stream.info());
			for (auto& p: stream.packets(5.0))
			{
				recorder->onPacket(*p);
				std::this_thread::sleep_for(std::chrono::milliseconds(2)); // paced like a live camera: the behaviour under test
			}
			waitUntil([&] { return recorder->secondsWritten() >= 4.9; }, 3000); // the writer caught up (the last packet is at 4.96 s)
			::kill(::getpid(), SIGKILL);
		}
		int status = 0;
		::waitpid(child, &status, 0);
		ASSERT_TRUE(WIFSIGNALED(status));
		MediaSummary m = decodeMedia(path);
		ASSERT_TRUE(m.opened) << format;
		EXPECT_EQ(m.decodeErrors, 0) << format;
		// 5 s fed; at most the fragment being built (one GOP, 1 s) is lost.
		EXPECT_GE(m.seconds, 3.9) << format;
		EXPECT_LE(m.seconds, 5.05) << format;
		std::printf("[ measured ] %s after SIGKILL: %.2f s of 5.00 s playable\n", format.c_str(), m.seconds);
	}
}
