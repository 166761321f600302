//
// CameraLossServerTest.cpp
//
// A network camera that goes away mid-recording, through the running server:
// the test serves MPEG-TS (H.264 from libx264, paced in real time) on a
// loopback TCP port that a tcp:// camera source reads, then drops the
// connection. The recording must end with ERROR (camera_lost) then STOPPED,
// and the finalized file must decode with what was sent.
//

#include "CaptureServer.h"
#include "MediaCheck.h"
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <thread>

extern "C" {
#include <libavformat/avformat.h>
}

using namespace camsvc::test;
using Poco::JSON::Object;

namespace {

int writeToSocket(void* opaque, std::uint8_t* data, int size)
{
	try
	{
		return static_cast<Poco::Net::StreamSocket*>(opaque)->sendBytes(data, size);
	}
	catch (...)
	{
		return AVERROR(EPIPE);
	}
}

void serveMpegTs(Poco::Net::ServerSocket& listener, double seconds)
	/// Accepts one client, streams seconds of 320x240@15 video in real time, hangs up.
{
	Poco::Net::StreamSocket socket = listener.acceptConnection();
	H264TestStream stream(320, 240, 15);
	AVFormatContext* ts = nullptr;
	avformat_alloc_output_context2(&ts, nullptr, "mpegts", nullptr);
	auto* buffer = static_cast<unsigned char*>(av_malloc(4096));
	ts->pb = avio_alloc_context(buffer, 4096, 1, &socket, nullptr, &writeToSocket, nullptr);
	AVStream* out = avformat_new_stream(ts, nullptr);
	avcodec_parameters_copy(out->codecpar, stream.info().codecParameters.get());
	out->time_base = AVRational{1, 90000};
	if (avformat_write_header(ts, nullptr) >= 0)
	{
		auto begin = std::chrono::steady_clock::now();
		int n = 0;
		for (auto& p: stream.packets(seconds))
		{
			std::this_thread::sleep_until(begin + std::chrono::microseconds(n++ * 1000000 / 15));
			av_packet_rescale_ts(p.get(), stream.info().timeBase, out->time_base);
			p->stream_index = 0;
			if (av_write_frame(ts, p.get()) < 0)
				break;
			avio_flush(ts->pb);
		}
	}
	av_freep(&ts->pb->buffer);
	avio_context_free(&ts->pb);
	avformat_free_context(ts);
	socket.close(); // the camera is gone
}

} // namespace

TEST(RecordingServer, CameraLossFinalizesTheFileAndReportsError)
{
	Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
	ServerProcess::Options o = captureServerOptions();
	o.defines["cameras.sources.net.url"] = "tcp://127.0.0.1:" + std::to_string(listener.address().port());
	o.defines["cameras.sources.net.index"] = "5";
	o.defines["cameras.restart.initial_ms"] = "5000"; // no reconnect during the test
	ServerProcess server(o);
	std::thread camera([&] { serveMpegTs(listener, 3.0); });

	auto c = operatorClient(server.port(), {"recording_status_update"});
	Object::Ptr r = resultObject(*c, "start_recording", RpcClient::params({{"device", "camera5"}}));
	std::string name = r->getValue<std::string>("filename");
	Object::Ptr error = waitNotification(*c, "recording_status_update", "ERROR", 15000);
	camera.join();
	ASSERT_TRUE(error) << server.log();
	EXPECT_EQ(error->getValue<std::string>("reason"), "camera_lost");
	EXPECT_EQ(error->getValue<std::string>("filename"), name);
	Object::Ptr stopped = waitNotification(*c, "recording_status_update", "STOPPED", 5000);
	ASSERT_TRUE(stopped);
	EXPECT_EQ(stopped->getValue<std::string>("reason"), "camera_lost");

	MediaSummary m = decodeMedia(server.stateDir() + "/recordings/" + name);
	EXPECT_EQ(m.width, 320);
	EXPECT_EQ(m.decodeErrors, 0);
	EXPECT_GE(m.seconds, 1.5) << "what arrived before the loss is in the file";
	EXPECT_LE(m.seconds, 3.2);
	EXPECT_EQ(resultObject(*c, "get_recording_info", RpcClient::params({{"filename", name}}))->getValue<std::string>("status"), "complete");
	EXPECT_EQ(c->errorCode("stop_recording", RpcClient::params({{"device", "camera5"}})), -32010);
}
