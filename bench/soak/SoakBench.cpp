//
// SoakBench.cpp
//
// The soak: N clients (default 200) call a realistic mix of methods against
// the real server for a long time (default 30 minutes) while
//   - network cameras come and go (real ffmpeg MPEG-TS cameras on loopback,
//     one killed and brought back every --camera-period seconds),
//   - the MediaMTX test double restarts (forgets its paths) and goes away
//     for a few seconds, in turn, every --mediamtx-period seconds,
//   - recordings and snapshots fill the media file system (a tmpfs of
//     --disk-mb MiB when we may mount one, else the storage guard's reserve
//     set so that only --disk-mb MiB are left) up to the guard, and admin
//     clients delete the oldest files to make room again.
// It checks that no call fails with a code its method does not document for
// these conditions, that the server's RSS after warm-up grows less than
// --max-rss-growth-kb (5 MB) and that its descriptor count stays flat.
//
//   soak_bench [--seconds=1800] [--clients=200] [--warmup=120] [--cameras=2]
//              [--disk-mb=64] [--camera-period=20] [--mediamtx-period=30]
//
// Exit status 0 when every check passed. Run it on a quiet machine; see
// docs/hardening.md for the numbers.
//

#include "MediaMtxDouble.h"
#include "common/BenchArgs.h"
#include "support/FfmpegCamera.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <thread>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;
using Poco::JSON::Object;

namespace {

long readStatusKb(pid_t pid, const char* field)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/status");
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(field, 0) == 0)
			return std::stol(line.substr(std::strlen(field)));
	return -1;
}

int countFds(pid_t pid)
{
	int n = 0;
	if (DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str()))
	{
		while (struct dirent* e = ::readdir(d))
			n += e->d_name[0] != '.';
		::closedir(d);
	}
	return n;
}

// The codes each method may answer under the soak's conditions: cameras
// disconnected (-32004), MediaMTX down (-32006), the disk at the guard
// (-32007, -1008, -1010), a camera already recording (-32005, -1006), a file
// another client deleted first (-32010).
const std::map<std::string, std::set<int>> Expected = {
	{"ping", {0}},
	{"get_camera_list", {0}},
	{"get_camera_status", {0, -32004}},
	{"get_metrics", {0}},
	{"get_status", {0}},
	{"get_server_info", {0}},
	{"take_snapshot", {0, -32004, -32007, -1008, -1010}},
	{"start_recording", {0, -32004, -32005, -1006, -32007, -1008, -1010}},
	{"stop_recording", {0, -32004, -32010}},
	{"get_stream_url", {0, -32004, -32006, -32010}},
	{"list_recordings", {0}},
	{"list_snapshots", {0}},
	{"delete_recording", {0, -32005, -32010}},
	{"delete_snapshot", {0, -32010}},
	{"get_storage_info", {0}},
};

struct Tally
{
	std::mutex mutex;
	std::map<std::string, std::map<int, long>> codes; // method -> code -> calls
	std::map<std::string, std::string> unexpected;    // "method code" -> first message
	std::atomic<long> calls{0}, failures{0}, transportErrors{0};

	void add(const std::string& method, int code, const std::string& message)
	{
		std::lock_guard lock(mutex);
		++codes[method][code];
		++calls;
		auto it = Expected.find(method);
		// A snapshot of a camera whose feed died a moment ago, before the
		// camera is known disconnected: -32603 no_frame (counted apart).
		if (method == "take_snapshot" && code == -32603 && message.find("\"no_frame\"") != std::string::npos)
			return;
		if (it == Expected.end() || !it->second.count(code))
		{
			++failures;
			unexpected.emplace(method + " " + std::to_string(code), message);
		}
	}
};

struct Soak
{
	camsvc::bench::BenchArgs args{0, nullptr};
	std::atomic<bool> stop{false};
	std::vector<std::string> cameras; // names clients use
	Tally tally;
	int port = 0;

	int arg(const std::string& name, int fallback) const { return args.getInt(name, fallback); }

	void sleepFor(double seconds) const
	{
		auto until = Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
		while (!stop && Clock::now() < until)
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
};

std::string oldestFile(RpcClient& client, const std::string& method)
{
	auto r = client.call(method, RpcClient::params({{"limit", 200}}));
	if (!r->has("result"))
		return {};
	auto result = r->getObject("result");
	auto files = result->getArray("files");
	if (!files || files->size() == 0)
		return {};
	return files->getObject(static_cast<unsigned>(files->size() - 1))->getValue<std::string>("filename");
}

// Weighted mix: mostly reads, some media work, a little cleanup.
enum Needs { Viewer, Operator, Admin };
struct Op { const char* method; int weight; Needs needs; };
const Op ops[] = {
	{"ping", 20, Viewer}, {"get_camera_list", 15, Viewer}, {"get_camera_status", 12, Viewer},
	{"get_metrics", 6, Admin}, {"get_status", 6, Admin}, {"get_server_info", 3, Viewer},
	{"get_stream_url", 8, Viewer}, {"list_recordings", 6, Viewer}, {"list_snapshots", 6, Viewer},
	{"take_snapshot", 8, Operator}, {"start_recording", 4, Operator}, {"stop_recording", 3, Operator},
};

struct Call
{
	std::string method;
	Object::Ptr params;
};

Call pickCall(std::mt19937& random, int index, bool admin, const std::string& camera)
	/// A call from the weighted mix that this client's role may make, with its params.
{
	int total = 0;
	for (const auto& op: ops)
		total += op.weight;
	int pick = static_cast<int>(random() % total);
	const Op* op = &ops[0];
	for (const auto& o: ops)
	{
		if (pick < o.weight) { op = &o; break; }
		pick -= o.weight;
	}
	Call call{op->method, nullptr};
	if ((op->needs == Operator && index % 4 == 0) || (op->needs == Admin && !admin))
		call.method = op->needs == Admin ? "get_server_info" : "get_camera_list"; // each role calls what it may
	const std::string& method = call.method;
	if (method == "get_camera_status" || method == "get_stream_url" || method == "take_snapshot" || method == "stop_recording")
		call.params = RpcClient::params({{"device", camera}});
	else if (method == "start_recording")
		call.params = RpcClient::params({{"device", camera}, {"duration", 2 + static_cast<int>(random() % 6)}});
	else if (method.rfind("list_", 0) == 0)
		call.params = RpcClient::params({{"limit", 20}});
	return call;
}

Call cleanupCall(std::mt19937& random, RpcClient& rpc)
	/// Cleanup: the oldest recording or snapshot goes, as a retention job would.
{
	bool recordings = random() % 2;
	std::string name = oldestFile(rpc, recordings ? "list_recordings" : "list_snapshots");
	if (name.empty())
		return {"get_storage_info", nullptr};
	return {recordings ? "delete_recording" : "delete_snapshot", RpcClient::params({{"filename", name}})};
}

void client(Soak& soak, int index)
{
	std::mt19937 random(static_cast<unsigned>(index * 7919 + 17));
	const bool admin = index % 20 == 0; // 5 %: admins, who also clean up
	std::unique_ptr<RpcClient> rpc;
	while (!soak.stop)
	{
		try
		{
			if (!rpc)
			{
				rpc = std::make_unique<RpcClient>(soak.port);
				rpc->authenticateAs(admin ? "admin" : index % 4 == 0 ? "viewer" : "operator");
			}
			std::string camera = soak.cameras[random() % soak.cameras.size()];
			Call call = pickCall(random, index, admin, camera);
			if (admin && random() % 3 == 0)
				call = cleanupCall(random, *rpc);
			auto response = rpc->call(call.method, call.params, 20000);
			int code = 0;
			std::string message;
			if (response->has("error"))
			{
				code = response->getObject("error")->getValue<int>("code");
				std::ostringstream text;
				response->getObject("error")->stringify(text);
				message = text.str();
			}
			soak.tally.add(call.method, code, message);
			while (rpc->nextNotification(0))
				; // status updates: read and dropped, as a UI would after repainting
		}
		catch (const std::exception& e)
		{
			++soak.tally.transportErrors; // counted: a connection that broke or a call that timed out
			std::lock_guard lock(soak.tally.mutex);
			soak.tally.unexpected.emplace(std::string("transport ") + e.what(), "");
			rpc.reset();
		}
		soak.sleepFor(0.2 + static_cast<double>(random() % 800) / 1000.0); // think time
	}
}

struct Sample
{
	int t;
	long rssKb;
	int fds;
};

std::map<std::string, std::string> serverDefines(const std::string& media, int diskMb, bool mounted)
	/// The soak server's configuration; media on its tmpfs, or a guard reserve that leaves diskMb MiB of the real disk.
{
	std::map<std::string, std::string> defines = {
		{"logging.level", "warning"}, {"cameras.v4l2.enabled", "false"},
		{"storage.recordings.path", media + "/recordings"}, {"storage.snapshots.path", media + "/snapshots"},
		{"storage.guard.interval", "2"}, {"cameras.idle_stop_ms", "2000"},
		{"cameras.sources.pattern.url", "testsrc://?size=640x480&rate=15"},
		{"server.websocket.idle_timeout", "0"},
	};
	if (!mounted)
	{
		struct statvfs fs{};
		::statvfs(media.c_str(), &fs);
		unsigned long long available = static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
		unsigned long long room = static_cast<unsigned long long>(diskMb) << 20;
		defines["storage.guard.reserve_bytes"] = std::to_string(available > room ? available - room : 0);
		std::printf("no tmpfs (%s): guard reserve leaves %d MiB of the real disk\n", std::strerror(errno), diskMb);
	}
	return defines;
}

std::vector<Sample> sampleServer(const ServerProcess& server, const Soak& soak, int seconds)
	/// The server's memory and descriptors every 5 s for seconds (or until it dies), with a progress line a minute.
{
	std::vector<Sample> samples;
	auto started = Clock::now();
	for (;;)
	{
		int t = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count());
		if (t >= seconds || !server.running())
			break;
		samples.push_back({t, readStatusKb(server.pid(), "VmRSS:"), countFds(server.pid())});
		if (samples.size() % 12 == 0)
		{
			std::printf("t=%4d s calls=%ld unexpected=%ld transport_errors=%ld rss_kb=%ld fds=%d\n", t, soak.tally.calls.load(),
				soak.tally.failures.load(), soak.tally.transportErrors.load(), samples.back().rssKb, samples.back().fds);
			std::fflush(stdout);
		}
		std::this_thread::sleep_for(std::chrono::seconds(5));
	}
	return samples;
}

struct Trend
	/// Means of the first minute after warm-up and of the last minute.
{
	int end = 0;
	double rssBase = -1, rssEnd = -1, fdBase = -1, fdEnd = -1;
	int fdMax = 0;
};

Trend trendOf(const std::vector<Sample>& samples, int warmup)
{
	auto window = [&](int from, int to, auto field) {
		double sum = 0;
		int n = 0;
		for (const auto& s: samples)
			if (s.t >= from && s.t < to) { sum += static_cast<double>(field(s)); ++n; }
		return n ? sum / n : -1.0;
	};
	auto rss = [](const Sample& s) { return s.rssKb; };
	auto fds = [](const Sample& s) { return s.fds; };
	Trend trend;
	const int end = trend.end = samples.empty() ? 0 : samples.back().t + 1;
	trend.rssBase = window(warmup, warmup + 60, rss);
	trend.rssEnd = window(end - 60, end, rss);
	trend.fdBase = window(warmup, warmup + 60, fds);
	trend.fdEnd = window(end - 60, end, fds);
	for (const auto& s: samples)
		if (s.t >= warmup)
			trend.fdMax = std::max(trend.fdMax, s.fds);
	return trend;
}

void printTally(const Tally& tally)
	/// Answers per method and code, then every unexpected one.
{
	std::printf("\nper method (code: calls):\n");
	for (const auto& [method, codes]: tally.codes)
	{
		std::printf("  %-18s", method.c_str());
		for (const auto& [code, n]: codes)
			std::printf(" %d:%ld", code, n);
		std::printf("\n");
	}
	for (const auto& [what, message]: tally.unexpected)
		std::printf("UNEXPECTED %s %s\n", what.c_str(), message.c_str());
}

void cycleCameras(Soak& soak, std::vector<std::unique_ptr<ChildProcess>>& feeds, const std::vector<int>& ports,
	const std::string& state, int period, std::atomic<long>& changes)
	/// Cameras come and go: one feed killed, brought back half a period later.
{
	for (std::size_t i = 0; !soak.stop && !feeds.empty(); ++i)
	{
		soak.sleepFor(period / 2.0);
		std::size_t k = i % feeds.size();
		feeds[k].reset(); // kills ffmpeg: the camera disconnects
		soak.sleepFor(period / 2.0);
		feeds[k] = ffmpegTcpCamera(ports[k], state + "/camera" + std::to_string(k) + ".log");
		changes += 2;
	}
}

void cycleMediaMtx(Soak& soak, MediaMtxDouble& mtx, int period, std::atomic<long>& changes)
	/// MediaMTX: a restart (paths forgotten), then an outage, in turn.
{
	for (int i = 0; !soak.stop; ++i)
	{
		soak.sleepFor(period);
		if (soak.stop)
			break;
		if (i % 2 == 0)
			mtx.restart();
		else
		{
			mtx.stop();
			soak.sleepFor(5);
			mtx.start();
		}
		++changes;
	}
}

} // namespace

int main(int argc, char** argv)
{
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);
	Soak soak;
	soak.args = camsvc::bench::BenchArgs(argc, argv);
	const int seconds = soak.arg("seconds", 1800), clients = soak.arg("clients", 200), warmup = soak.arg("warmup", 120);
	const int networkCameras = soak.arg("cameras", 2), diskMb = soak.arg("disk-mb", 64);
	const int cameraPeriod = soak.arg("camera-period", 20), mediamtxPeriod = soak.arg("mediamtx-period", 30);
	const long maxRssGrowthKb = soak.arg("max-rss-growth-kb", 5000);

	// The media file system: a small tmpfs if we may, else a guard reserve
	// that leaves diskMb MiB on the real one.
	std::string state = makeTempDir("camsvc-soak");
	std::string media = state + "/media";
	std::filesystem::create_directories(media);
	bool mounted = ::mount("tmpfs", media.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
		("size=" + std::to_string(diskMb) + "m,mode=0700").c_str()) == 0;
	std::map<std::string, std::string> defines = serverDefines(media, diskMb, mounted);

	MediaMtxDouble mtx;
	defines["mediamtx.api.url"] = mtx.url();
	defines["mediamtx.api.timeout_ms"] = "500";
	defines["mediamtx.reconcile_interval_ms"] = "1000";
	defines["mediamtx.rtsp.url"] = "rtsp://127.0.0.1:" + std::to_string(ServerProcess::freePort());

	std::vector<int> cameraPorts;
	std::vector<std::unique_ptr<ChildProcess>> feeds;
	for (int i = 0; i < networkCameras; ++i)
	{
		int p = ServerProcess::freePort();
		cameraPorts.push_back(p);
		defines["cameras.sources.net" + std::to_string(i) + ".url"] = "tcp://127.0.0.1:" + std::to_string(p);
		defines["cameras.sources.net" + std::to_string(i) + ".index"] = std::to_string(i);
		feeds.push_back(ffmpegTcpCamera(p, state + "/camera" + std::to_string(i) + ".log"));
	}
	ServerProcess server(ServerProcess::Options::of({"test_auth", "metrics", "storage", "cameras", "snapshots", "recording", "mediamtx"}, defines));
	soak.port = server.port();
	soak.cameras.push_back("camera100"); // the test pattern: always there
	for (int i = 0; i < networkCameras; ++i)
		soak.cameras.push_back("camera" + std::to_string(i));
	std::printf("soak: %d clients, %d s (warm-up %d s), %d network cameras, media %s (%d MiB), server pid %d\n",
		clients, seconds, warmup, networkCameras, mounted ? "tmpfs" : "guard reserve", diskMb, server.pid());
	std::fflush(stdout);

	std::vector<std::thread> threads;
	for (int i = 0; i < clients; ++i)
		threads.emplace_back(client, std::ref(soak), i);
	std::atomic<long> cameraChanges{0}, mediamtxChanges{0};
	threads.emplace_back([&] { cycleCameras(soak, feeds, cameraPorts, state, cameraPeriod, cameraChanges); });
	threads.emplace_back([&] { cycleMediaMtx(soak, mtx, mediamtxPeriod, mediamtxChanges); });

	std::vector<Sample> samples = sampleServer(server, soak, seconds);
	const bool survived = server.running();
	soak.stop = true;
	for (auto& t: threads)
		t.join();

	const Trend trend = trendOf(samples, warmup);
	printTally(soak.tally);
	const double growth = trend.rssEnd - trend.rssBase;
	const bool rssOk = trend.rssBase > 0 && growth < static_cast<double>(maxRssGrowthKb);
	const bool fdOk = trend.fdBase > 0 && trend.fdEnd <= trend.fdBase + 8;
	std::printf("\nsoak_seconds=%d clients=%d calls=%ld unexpected_codes=%ld transport_errors=%ld camera_changes=%ld "
		"mediamtx_changes=%ld\nrss_kb_after_warmup=%.0f rss_kb_end=%.0f rss_growth_kb=%.0f fd_after_warmup=%.1f fd_end=%.1f "
		"fd_max=%d server_alive=%d\n",
		trend.end, clients, soak.tally.calls.load(), soak.tally.failures.load(), soak.tally.transportErrors.load(),
		cameraChanges.load(), mediamtxChanges.load(), trend.rssBase, trend.rssEnd, growth, trend.fdBase, trend.fdEnd, trend.fdMax, survived);
	const bool ok = survived && soak.tally.failures == 0 && soak.tally.transportErrors == 0 && rssOk && fdOk;
	std::printf("%s\n", ok ? "PASS" : "FAIL");

	feeds.clear();
	server.terminate();
	if (mounted)
		::umount2(media.c_str(), MNT_DETACH);
	removeTree(state);
	return ok ? 0 : 1;
}
