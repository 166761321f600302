//
// StorageBench.cpp
//
// Storage plugin benchmark (numbers in docs/storage.md):
//   1. list_recordings page latency (p50/p99) at N catalogued files, at the
//      catalog level and for the method's whole result (count + JSON);
//   2. start-up reconcile time for N files on disk (empty catalog, then an
//      unchanged one);
//   3. unless --server=no: list_recordings through the running server over
//      WebSocket (test_auth token), same pages; the server is this build's
//      (CAMSVC_BINARY and CAMSVC_PLUGIN_DIR choose another).
// Usage: storage_bench [--files=100000] [--pages=2000] [--server=no]
//

#include "Catalog.h"
#include "MediaLibrary.h"
#include "StorageMethods.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/Stopwatch.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <cstdlib>
#include <sys/time.h>

using namespace camsvc::storage;
using camsvc::sdk::MediaKind;
using camsvc::test::RpcClient;
using camsvc::test::ServerProcess;

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

void serverBench(const std::string& state, std::size_t files, std::size_t pages)
{
	Poco::Stopwatch startup;
	startup.start();
	auto options = ServerProcess::Options::of({"test_auth", "storage"}, {{"logging.level", "warning"}});
	options.waitReady = false;
	options.stateDir = state;
	ServerProcess server(options);
	server.waitUntilReady(60000);
	std::printf("server up with %zu catalogued files after %.2f s\n", files, seconds(startup));
	RpcClient client(server.port());
	client.authenticateAs("viewer");
	auto probe = client.result("list_recordings", RpcClient::params({{"limit", 50}})).extract<Poco::JSON::Object::Ptr>();
	if (probe->getValue<std::size_t>("total") != files)
		std::cerr << "unexpected total: " << probe->getValue<std::size_t>("total") << "\n";
	report("server list_recordings limit=50 (WebSocket)", timePages(pages, files, [&](std::size_t off) {
		client.call("list_recordings", RpcClient::params({{"limit", 50}, {"offset", off}}));
	}));
}

} // namespace

int main(int argc, char** argv)
{
	const std::size_t files = std::stoul(arg(argc, argv, "files", "100000"));
	const std::size_t pages = std::stoul(arg(argc, argv, "pages", "2000"));
	const bool withServer = arg(argc, argv, "server", "yes") != "no";
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);
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
	if (withServer)
		serverBench(root, files, pages);
	std::filesystem::remove_all(root);
	return 0;
}
