//
// AuthBench.cpp
//
// Measures what the auth plugin costs the core per operation: one JWT
// verification (first use and cached), one API key verification (both done per authenticate, per
// request carrying auth_token and per authenticated HTTP request), and one
// RequestGuard::admitCall (done before every authorized call), single- and
// multi-threaded.
//
//   auth_bench [iterations]
//

#include "ApiKeyStore.h"
#include "AuthGuard.h"
#include "JwtCodec.h"
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace camsvc;
using namespace camsvc::auth;

namespace {

template <class Fn>
double nsPerOp(long iterations, Fn fn)
{
	for (long i = 0; i < iterations / 10; ++i) // warm up
		fn(i);
	auto start = std::chrono::steady_clock::now();
	for (long i = 0; i < iterations; ++i)
		fn(i);
	auto elapsed = std::chrono::steady_clock::now() - start;
	return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / static_cast<double>(iterations);
}

double admitCallThreaded(AuthGuard& guard, int threads, long perThread)
	/// ns per admitCall across threads (wall time / total calls); each thread
	/// is one connection of one shared identity, as in a load test.
{
	std::vector<std::thread> workers;
	std::atomic<bool> go{false};
	for (int t = 0; t < threads; ++t)
	{
		workers.emplace_back([&, t]
		{
			sdk::CallContext ctx;
			ctx.method = "ping";
			ctx.connectionId = static_cast<std::uint64_t>(t + 1);
			ctx.authenticated = true;
			ctx.identity = {"bench", sdk::Role::Viewer, Poco::Timestamp(), "jwt"};
			while (!go.load())
				std::this_thread::yield();
			for (long i = 0; i < perThread; ++i)
				guard.admitCall(ctx);
		});
	}
	auto start = std::chrono::steady_clock::now();
	go = true;
	for (auto& w: workers)
		w.join();
	auto elapsed = std::chrono::steady_clock::now() - start;
	return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / static_cast<double>(threads * perThread);
}

} // namespace

int main(int argc, char** argv)
{
	long iterations = argc > 1 ? std::atol(argv[1]) : 200000;

	const std::string secret = "benchmark-secret-0123456789abcdef0123456789";
	JwtCodec uncached(secret, {"HS256"}, 30, 0);
	JwtCodec cached(secret, {"HS256"}, 30);
	std::string token = cached.issue("bench", sdk::Role::Operator, 3600);
	double jwtNs = nsPerOp(iterations / 4, [&](long) { uncached.verify(token); });
	double jwtCachedNs = nsPerOp(iterations, [&](long) { cached.verify(token); });

	std::string dir = Poco::TemporaryFile::tempName();
	Poco::File(dir).createDirectories();
	double keyNs = 0;
	{
		ApiKeyStore store(dir + "/api_keys.json");
		for (int i = 0; i < 99; ++i) // a realistic store: the key is one of 100
			store.create("filler" + std::to_string(i), sdk::Role::Viewer);
		std::string key = store.create("bench", sdk::Role::Operator).key;
		keyNs = nsPerOp(iterations, [&](long) { store.verify(key); });
	}
	Poco::File(dir).remove(true);

	AuthSettings settings;
	settings.connectionRate = {1e12, 1e12}; // never refuse: measure the bookkeeping
	settings.identityRate = {1e12, 1e12};
	AuthGuard guard(settings);
	sdk::CallContext ctx;
	ctx.connectionId = 1;
	ctx.authenticated = true;
	ctx.identity = {"bench", sdk::Role::Viewer, Poco::Timestamp(), "jwt"};
	double admitNs = nsPerOp(iterations * 10, [&](long) { guard.admitCall(ctx); });
	unsigned cores = std::max(2u, std::thread::hardware_concurrency());
	double admitThreadedNs = admitCallThreaded(guard, static_cast<int>(cores), iterations * 5);

	std::printf("jwt_verify_hs256        %10.0f ns/op (first use: parse, HMAC, claims)\n", jwtNs);
	std::printf("jwt_verify_cached       %10.0f ns/op (same token again)\n", jwtCachedNs);
	std::printf("api_key_verify          %10.0f ns/op\n", keyNs);
	std::printf("admit_call              %10.0f ns/op\n", admitNs);
	std::printf("admit_call_%u_threads    %10.0f ns/op (wall time per call, same identity)\n", cores, admitThreadedNs);
	return 0;
}
