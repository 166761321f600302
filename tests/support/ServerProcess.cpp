#include "support/ServerProcess.h"
#include "support/WaitUntil.h"
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace camsvc::test {

std::string makeTempDir(const std::string& prefix)
{
	std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
	if (!::mkdtemp(pattern.data()))
		throw std::runtime_error("mkdtemp failed");
	return pattern;
}

void removeTree(const std::string& path)
{
	std::error_code ec;
	std::filesystem::remove_all(path, ec);
}

bool ServerProcess::mapsLibrary(const std::string& library) const
{
	std::ifstream maps("/proc/" + std::to_string(pid()) + "/maps");
	std::string line;
	while (std::getline(maps, line))
		if (line.find(library) != std::string::npos)
			return true;
	return false;
}

int ServerProcess::freePort()
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
	return socket.address().port();
}

std::string ServerProcess::binary()
{
	const char* b = std::getenv("CAMSVC_BINARY");
	if (!b)
		throw std::runtime_error("CAMSVC_BINARY is not set (run the tests through ctest)");
	return b;
}

std::string ServerProcess::pluginDir()
{
	const char* d = std::getenv("CAMSVC_PLUGIN_DIR");
	if (!d)
		throw std::runtime_error("CAMSVC_PLUGIN_DIR is not set (run the tests through ctest)");
	return d;
}

ServerProcess::ServerProcess(Options options): _options(std::move(options))
{
	_stateDir = _options.stateDir;
	if (_stateDir.empty())
	{
		_stateDir = makeTempDir("camsvc-server");
		_ownStateDir = true;
	}
	_port = freePort();

	std::string plugins;
	for (const auto& p: _options.plugins)
		plugins += (plugins.empty() ? "" : ",") + p;
	std::map<std::string, std::string> defines = {
		{"server.host", "127.0.0.1"},
		{"server.port", std::to_string(_port)},
		{"state.directory", _stateDir},
		{"plugins.directory", pluginDir()},
		{"plugins.enabled", plugins},
		{"logging.level", "debug"},
	};
	for (const auto& [k, v]: _options.defines)
		defines[k] = v;

	std::vector<std::string> args{binary()};
	for (const auto& [k, v]: defines)
		args.push_back("--define=" + k + "=" + v);
	for (const auto& a: _options.extraArgs)
		args.push_back(a);

	_process = std::make_unique<ChildProcess>(args, logFile(), _options.environment);
	if (_options.waitReady)
		waitUntilReady();
}

ServerProcess::~ServerProcess()
{
	if (running())
		_process->stop(SIGTERM, 10000);
	_process.reset();
	if (_ownStateDir)
		removeTree(_stateDir);
}

std::string ServerProcess::log() const
{
	std::ifstream in(logFile());
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

bool ServerProcess::waitForLog(const std::string& text, std::size_t occurrences, int timeoutMs) const
{
	return waitUntil([&] {
		std::string content = log();
		std::size_t n = 0;
		for (auto at = content.find(text); at != std::string::npos && n < occurrences; at = content.find(text, at + 1))
			++n;
		return n >= occurrences;
	}, timeoutMs, 20);
}

void ServerProcess::waitUntilReady(int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		if (!_process->running() && _process->exitStatus() != 0) // 0: it daemonized
			throw std::runtime_error("server exited early (status " + std::to_string(_process->exitStatus()) + "):\n" + log());
		try
		{
			Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
			session.setTimeout(Poco::Timespan(1, 0));
			Poco::Net::HTTPRequest request("GET", "/health");
			session.sendRequest(request);
			Poco::Net::HTTPResponse response;
			session.receiveResponse(response);
			if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
				return;
		}
		catch (...)
		{
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
	throw std::runtime_error("server did not become ready:\n" + log());
}

int ServerProcess::terminate(int signal, int timeoutMs)
{
	return _process->stop(signal, timeoutMs);
}

} // namespace camsvc::test
