//
// MediaMtxDouble.h
//
// A MediaMTX v1.20.1 control API on loopback, built from
// shared/mediamtx/openapi.yaml: real HTTP, the documented status codes and
// bodies, strict request bodies (a field PathConf does not have is 400), add
// on an existing path is 400, the v1.20 runtime fields and the deprecated
// ones. It can be "restarted" (forgets every path, as MediaMTX does with API
// changes) and stopped (connections refused) and started again on its port.
//

#ifndef CAMSVC_TEST_MEDIAMTXDOUBLE_H
#define CAMSVC_TEST_MEDIAMTXDOUBLE_H

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServer.h>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace camsvc::test {

class MediaMtxDouble
{
public:
	explicit MediaMtxDouble(int port = 0, std::string username = "", std::string password = "");
	~MediaMtxDouble();

	int port() const { return _port; }
	std::string url() const { return "http://127.0.0.1:" + std::to_string(_port); }

	void restart();
		/// Forgets every path added through the API and changes "started".
	void stop();
	void start();

	bool hasPath(const std::string& name);
	Poco::JSON::Object::Ptr pathConfig(const std::string& name);
	void removePathByHand(const std::string& name);
	void setPublisher(const std::string& name, bool online, std::uint64_t inboundBytes = 0, int readers = 0);
		/// Simulates the runtime state of a path.
	int requestCount(const std::string& method) const;

	static const std::set<std::string>& pathConfFields();
		/// The PathConf properties of openapi.yaml (v1.20.1).

	struct State;

private:
	std::shared_ptr<State> _state;
	int _port;
	std::unique_ptr<Poco::Net::HTTPServer> _server;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_MEDIAMTXDOUBLE_H
