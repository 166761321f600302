//
// StorageBench.cpp
//
// Storage plugin benchmark (numbers in docs/storage.md):
//   1. list_recordings page latency (p50/p99) at N catalogued files, at the
//      catalog level and for the method's whole result (count + JSON);
//   2. start-up reconcile time for N files on disk (empty catalog, then an
//      unchanged one);
//   3. with --server=BIN --plugins=DIR: list_recordings through the running
//      server over WebSocket (test_auth token), same pages.
// Usage: storage_bench [--files=100000] [--pages=2000] [--server=... --plugins=...]
//

#include "Catalog.h"
#include "MediaLibrary.h"
#include "StorageMethods.h"
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/Stopwatch.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace camsvc::storage;
using camsvc::sdk::MediaKind;

namespace {

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback)
{
	for (int i = 1; i < argc; ++i)
		if (std::string(argv[i]).rfind("--" + name + "=", 0) == 0)
			return std::string(argv[i]).substr(name.size() + 3);
	return fallback;
}

void report(const std::string& what, std::vector<double> us)
{
	std::sort(us.begin(), us.end());
	auto at = [&](double q) { return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
	std::printf("%-44s n=%zu p50=%.3f ms p99=%.3f ms max=%.3f ms\n", what.c_str(), us.size(), at(0.5) / 1000, at(0.99) / 1000, us.back() / 1000);
}

template <class F>
std::vector<double> timePages(std::size_t pages, std::size_t files, F call)
{
	std::mt19937 rng(42);
	std::uniform_int_distribution<std::size_t> offset(0, files - 1);
	std::vector<double> us;
	for (std::size_t i = 0; i < pages; ++i)
	{
		std::size_t off = i % 10 == 0 ? 0 : offset(rng); // every tenth: the first page
		Poco::Stopwatch w;
		w.start();
		call(off);
		us.push_back(static_cast<double>(w.elapsed()));
	}
	return us;
}

double seconds(const Poco::Stopwatch& w)
{
	return static_cast<double>(w.elapsed()) / 1e6;
}

void serverBench(const std::string& binary, const std::string& plugins, const std::string& state, std::size_t files, std::size_t pages)
{
	int port = 18000 + static_cast<int>(::getpid() % 2000);
	pid_t pid = ::fork();
	if (pid == 0)
	{
		std::vector<std::string> args{binary, "--define=server.host=127.0.0.1", "--define=server.port=" + std::to_string(port),
			"--define=state.directory=" + state, "--define=plugins.directory=" + plugins,
			"--define=plugins.enabled=test_auth,storage", "--define=logging.level=warning"};
		std::vector<char*> argv;
		for (auto& a: args)
			argv.push_back(a.data());
		argv.push_back(nullptr);
		::execv(argv[0], argv.data());
		::_exit(127);
	}
	Poco::Stopwatch startup;
	startup.start();
	std::unique_ptr<Poco::Net::HTTPClientSession> session;
	std::unique_ptr<Poco::Net::WebSocket> ws;
	for (int i = 0; i < 600 && !ws; ++i)
	{
		try
		{
			session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
			Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ws", Poco::Net::HTTPMessage::HTTP_1_1);
			Poco::Net::HTTPResponse response;
			ws = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
		}
		catch (const Poco::Exception&)
		{
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
	}
	if (!ws)
	{
		std::cerr << "server did not start\n";
		::kill(pid, SIGKILL);
		::waitpid(pid, nullptr, 0);
		return;
	}
	std::printf("server up with %zu catalogued files after %.2f s\n", files, seconds(startup));
	ws->setReceiveTimeout(Poco::Timespan(10, 0));
	std::vector<char> buffer(4 << 20);
	int id = 0;
	auto call = [&](const std::string& method, const std::string& params) {
		std::string text = "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(++id) + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
		ws->sendFrame(text.data(), static_cast<int>(text.size()));
		int flags = 0;
		int n = ws->receiveFrame(buffer.data(), static_cast<int>(buffer.size()), flags);
		return std::string(buffer.data(), static_cast<std::size_t>(std::max(n, 0)));
	};
	std::string token = "test:viewer:bench:" + std::to_string(::time(nullptr) + 3600);
	call("authenticate", "{\"auth_token\":\"" + token + "\"}");
	std::string probe = call("list_recordings", "{\"limit\":50}");
	if (probe.find("\"total\":" + std::to_string(files)) == std::string::npos)
		std::cerr << "unexpected answer: " << probe.substr(0, 200) << "\n";
	report("server list_recordings limit=50 (WebSocket)", timePages(pages, files, [&](std::size_t off) {
		call("list_recordings", "{\"limit\":50,\"offset\":" + std::to_string(off) + "}");
	}));
	::kill(pid, SIGTERM);
	::waitpid(pid, nullptr, 0);
}

} // namespace

int main(int argc, char** argv)
{
	const std::size_t files = std::stoul(arg(argc, argv, "files", "100000"));
	const std::size_t pages = std::stoul(arg(argc, argv, "pages", "2000"));
	const std::string server = arg(argc, argv, "server", "");
	const std::string plugins = arg(argc, argv, "plugins", "");
	std::string root = (std::filesystem::temp_directory_path() / "camsvc-storage-bench-XXXXXX").string();
	if (!::mkdtemp(root.data()))
		return 1;
	Poco::Logger& logger = Poco::Logger::get("bench");
	logger.setLevel("warning");

	// Files on disk: N recordings with distinct mtimes, 1 KiB each.
	std::filesystem::create_directories(root + "/recordings");
	std::filesystem::create_directories(root + "/snapshots");
	Poco::Stopwatch w;
	w.start();
	std::string chunk(1024, 'r');
	for (std::size_t i = 0; i < files; ++i)
	{
		std::string path = root + "/snapshots/camera0_" + std::to_string(1000000 + i) + ".jpg";
		std::ofstream(path) << chunk;
		struct timeval t[2] = {{static_cast<time_t>(1700000000 + i), 0}, {static_cast<time_t>(1700000000 + i), 0}};
		::utimes(path.c_str(), t);
	}
	std::printf("created %zu files in %.2f s\n", files, seconds(w));

	{
		Catalog catalog(root + "/storage.db");
		MediaLibrary library(catalog, LibraryConfig{root + "/recordings", root + "/snapshots", {}}, logger);
		w.restart();
		ReconcileReport cold = library.reconcile(true);
		std::printf("reconcile, empty catalog, %zu files on disk: %.3f s (%zu added)\n", files, seconds(w), cold.added);
		w.restart();
		ReconcileReport warm = library.reconcile(true);
		std::printf("reconcile, unchanged catalog, %zu files:      %.3f s (%zu changes)\n", files, seconds(w),
			warm.added + warm.removed + warm.updated);

		// The same rows as recordings, for list_recordings.
		std::vector<MediaRecord> rows = catalog.all(MediaKind::Snapshot);
		for (auto& r: rows)
		{
			r.kind = MediaKind::Recording;
			r.name.replace(r.name.size() - 3, 3, "mp4");
			r.format = "mp4";
		}
		w.restart();
		catalog.upsertMany(rows);
		std::printf("catalog insert of %zu rows (one transaction): %.3f s\n", rows.size(), seconds(w));
		std::filesystem::remove_all(root + "/snapshots");
		std::filesystem::create_directories(root + "/snapshots");
		catalog.removeMany(MediaKind::Snapshot, [&] {
			std::vector<std::string> names;
			for (const auto& r: rows)
				names.push_back(r.name.substr(0, r.name.size() - 3) + "jpg");
			return names;
		}());
		for (const auto& r: rows)
			std::ofstream(root + "/recordings/" + r.name) << chunk; // so the server's reconcile keeps the rows
		for (const auto& r: rows)
		{
			struct timeval t[2] = {{static_cast<time_t>(r.modified / 1000), 0}, {static_cast<time_t>(r.modified / 1000), 0}};
			::utimes((root + "/recordings/" + r.name).c_str(), t);
		}
		std::printf("catalog: %zu recordings\n", catalog.count(MediaKind::Recording));

		report("catalog page limit=50", timePages(pages, files, [&](std::size_t off) { catalog.page(MediaKind::Recording, 50, off); }));
		report("catalog page limit=1000", timePages(pages / 10, files, [&](std::size_t off) { catalog.page(MediaKind::Recording, 1000, off); }));
		RetentionStore retention(catalog, RetentionPolicy());
		StorageMethods methods(library, retention, logger);
		report("list_recordings result limit=50 (JSON)", timePages(pages, files, [&](std::size_t off) { methods.list(MediaKind::Recording, 50, off); }));
	}
	if (!server.empty())
		serverBench(server, plugins, root, files, pages);
	std::filesystem::remove_all(root);
	return 0;
}
