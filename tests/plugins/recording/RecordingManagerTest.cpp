//
// RecordingManagerTest.cpp
//
// RecordingManager between a scripted camera service (the test drives the
// subscribed sink with a real libx264 stream and ends it as a vanishing
// device would) and the real media library: camera loss finalizes the file
// and reports ERROR then STOPPED with the file completed in the catalog; a
// critical storage verdict refuses a start; stopAll() finalizes everything.
//

#include "MediaCheck.h"
#include "RecordingManager.h"
#include "StorageTestUtil.h"
#include "support/WaitUntil.h"
#include <gtest/gtest.h>
#include <thread>

using namespace camsvc;
using namespace camsvc::recording;
using camsvc::test::H264TestStream;
using Poco::JSON::Object;

namespace {

class ScriptedCameras: public sdk::CameraService
	/// One connected camera, camera0; remembers the sink subscribed to it.
{
public:
	class Sub: public sdk::Subscription
	{
	public:
		explicit Sub(ScriptedCameras& owner): _owner(owner) {}
		~Sub() override
		{
			std::lock_guard lock(_owner._mutex);
			_owner._sink.reset();
		}

	private:
		ScriptedCameras& _owner;
	};

	sdk::Records<sdk::CameraInfo> cameras() const override { return {info()}; }
	sdk::Record<sdk::CameraInfo> find(const std::string& d) const override
	{
		if (d == "camera0" || d == "/dev/video0")
			return info();
		return nullptr;
	}
	std::unique_ptr<sdk::Subscription> subscribePackets(const std::string&, std::shared_ptr<sdk::PacketSink> sink) override
	{
		std::lock_guard lock(_mutex);
		_sink = std::move(sink);
		return std::make_unique<Sub>(*this);
	}
	sdk::Frame latestFrame(const std::string&, std::chrono::milliseconds) override
	{
		throw sdk::RpcError(sdk::ErrorCode::InternalError, "no frames here", "no_frame");
	}
	std::unique_ptr<sdk::Subscription> watchCameras(std::function<void(const sdk::CameraInfo&)>) override { return nullptr; }

	std::shared_ptr<sdk::PacketSink> sink()
	{
		std::lock_guard lock(_mutex);
		return _sink;
	}

private:
	static sdk::Record<sdk::CameraInfo> info()
	{
		auto c = std::make_shared<sdk::CameraInfo>();
		c->name = "camera0";
		c->device = "/dev/video0";
		c->state = sdk::CameraState::Connected;
		return c;
	}

	std::mutex _mutex;
	std::shared_ptr<sdk::PacketSink> _sink;
};

struct Notifications
{
	std::mutex mutex;
	std::vector<Object::Ptr> items;

	RecordingManager::Notify callback()
	{
		return [this](Object::Ptr p) {
			std::lock_guard lock(mutex);
			items.push_back(p);
		};
	}
	std::vector<std::string> statuses()
	{
		std::lock_guard lock(mutex);
		std::vector<std::string> s;
		for (auto& i: items)
			s.push_back(i->getValue<std::string>("status"));
		return s;
	}
	Object::Ptr last()
	{
		std::lock_guard lock(mutex);
		return items.empty() ? nullptr : items.back();
	}
};

std::shared_ptr<sdk::MediaStore> borrow(test::MediaTree& tree)
{
	return std::shared_ptr<sdk::MediaStore>(tree.library.get(), [](sdk::MediaStore*) {});
}

} // namespace

TEST(RecordingManager, CameraLossFinalizesAndReportsError)
{
	test::MediaTree tree;
	auto cameras = std::make_shared<ScriptedCameras>();
	Notifications notes;
	std::size_t active = 99;
	RecordingManager manager(cameras, borrow(tree), RecordingSettings(), Poco::Logger::get("test.recording"), notes.callback(),
		[&](std::size_t n) { active = n; });

	Object::Ptr r = manager.start("/dev/video0", 0, "fmp4");
	EXPECT_EQ(r->getValue<std::string>("format"), "mp4");
	EXPECT_EQ(active, 1u);
	std::string name = r->getValue<std::string>("filename");
	EXPECT_EQ(tree.library->info(sdk::MediaKind::Recording, name).status, "recording");

	H264TestStream stream(320, 240, 25);
	auto sink = cameras->sink();
	ASSERT_TRUE(sink);
	stream.feed(*sink, 2.0);
	sink->onStreamEnd(sdk::StreamEnd::SourceLost, "device unplugged");

	camsvc::test::waitUntil([&] { return manager.active() == 0 && notes.statuses().size() >= 3; }, 4000);
	EXPECT_EQ(manager.active(), 0u);
	EXPECT_EQ(active, 0u);
	EXPECT_EQ(notes.statuses(), (std::vector<std::string>{"STARTED", "ERROR", "STOPPED"}));
	Object::Ptr stopped = notes.last();
	ASSERT_TRUE(stopped);
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "camera_lost");
	EXPECT_EQ(stopped->getValue<int>("duration"), 2);
	EXPECT_FALSE(cameras->sink()) << "unsubscribed";

	auto record = tree.library->info(sdk::MediaKind::Recording, name);
	EXPECT_EQ(record.status, "complete");
	EXPECT_NEAR(record.duration, 2.0, 0.05);
	test::MediaSummary m = test::decodeMedia(tree.recordings() + "/" + name);
	EXPECT_EQ(m.frames, 50);

	try
	{
		manager.stop("camera0");
		ADD_FAILURE() << "not recording any more";
	}
	catch (const sdk::RpcError& e)
	{
		EXPECT_EQ(e.code(), sdk::ErrorCode::NotFound);
	}
}

TEST(RecordingManager, CriticalStorageRefusesAndStopAllFinalizes)
{
	storage::GuardConfig critical;
	critical.warnPercent = 101;
	critical.criticalPercent = 101;
	{
		test::MediaTree tree(critical);
		auto cameras = std::make_shared<ScriptedCameras>();
		Notifications notes;
		RecordingManager manager(cameras, borrow(tree), RecordingSettings(), Poco::Logger::get("test.recording"), notes.callback());
		try
		{
			manager.start("camera0", 0, "");
			ADD_FAILURE() << "started on critical storage";
		}
		catch (const sdk::RpcError& e)
		{
			EXPECT_EQ(e.code(), sdk::ErrorCode::StorageCritical);
		}
		EXPECT_EQ(manager.active(), 0u);
		EXPECT_TRUE(notes.statuses().empty());
	}
	test::MediaTree tree;
	auto cameras = std::make_shared<ScriptedCameras>();
	Notifications notes;
	RecordingManager manager(cameras, borrow(tree), RecordingSettings(), Poco::Logger::get("test.recording"), notes.callback());
	std::string name = manager.start("camera0", 0, "mkv")->getValue<std::string>("filename");
	H264TestStream stream(320, 240, 25);
	stream.feed(*cameras->sink(), 1.0);
	manager.stopAll();
	EXPECT_EQ(notes.last()->getValue<std::string>("reason"), "shutdown");
	EXPECT_EQ(tree.library->info(sdk::MediaKind::Recording, name).status, "complete");
	EXPECT_EQ(test::decodeMedia(tree.recordings() + "/" + name).frames, 25);
}
