//
// MediaMtxClient.h
//
// MediaMTX's v3 control API (v1.20.1, shared/mediamtx/openapi.yaml): path
// configuration and runtime path state. One keep-alive HTTP connection,
// short timeouts, re-established once when it breaks.
//

#ifndef CAMSVC_MEDIAMTX_MEDIAMTXCLIENT_H
#define CAMSVC_MEDIAMTX_MEDIAMTXCLIENT_H

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace camsvc::mediamtx {

class MediaMtxError: public std::runtime_error
{
public:
	MediaMtxError(const std::string& what, int status): std::runtime_error(what), _status(status) {}
	int status() const { return _status; }
		/// HTTP status, or 0 when MediaMTX could not be reached.
	bool unreachable() const { return _status == 0; }

private:
	int _status;
};

struct PathState
	/// Runtime state of a path (GET /v3/paths/get).
{
	std::string name;
	bool available = false;        // a publisher is online (v1.16+: available/online; older: ready)
	std::string sourceType;        // "rtspSession", ... or empty
	std::vector<std::string> tracks;
	std::uint64_t inboundBytes = 0;  // v1.17+ inboundBytes; older: bytesReceived
	std::uint64_t outboundBytes = 0; // v1.17+ outboundBytes; older: bytesSent
	int readers = 0;
};

struct ServerInfo
{
	std::string version;
	std::string started;           // changes when MediaMTX restarts
};

class MediaMtxClient
	/// Thread-safe; calls are serialized on the one connection.
{
public:
	MediaMtxClient(const Poco::URI& apiUrl, std::string username, std::string password, int timeoutMs);

	void reconfigure(const Poco::URI& apiUrl, std::string username, std::string password, int timeoutMs);
		/// A reload: the next request goes to the new address with the new credentials.
	ServerInfo info();
	std::optional<Poco::JSON::Object::Ptr> pathConfig(const std::string& name);
		/// Empty when MediaMTX has no such path (404).
	void addPath(const std::string& name, const Poco::JSON::Object& conf);
		/// Throws MediaMtxError 400 when the path exists.
	void patchPath(const std::string& name, const Poco::JSON::Object& conf);
	void replacePath(const std::string& name, const Poco::JSON::Object& conf);
	void deletePath(const std::string& name);
	std::optional<PathState> pathState(const std::string& name);
		/// Empty when the path does not exist (404).
	std::vector<PathState> paths();

	static PathState parsePathState(const Poco::JSON::Object& path);
		/// Reads the v1.20 fields, falling back to the deprecated ones.

private:
	struct Response
	{
		int status = 0;
		std::string body;
	};
	Response request(const std::string& method, const std::string& path, const std::string& body = "");
	Poco::JSON::Object::Ptr expectObject(const Response& r, const std::string& what);
	void expectOk(const Response& r, const std::string& what);

	Poco::URI _base;
	std::string _username;
	std::string _password;
	Poco::Timespan _timeout;
	std::mutex _mutex;
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
};

} // namespace camsvc::mediamtx

#endif // CAMSVC_MEDIAMTX_MEDIAMTXCLIENT_H
