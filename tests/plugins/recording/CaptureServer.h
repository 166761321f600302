//
// CaptureServer.h
//
// The real server with the capture stack (test_auth, cameras, storage,
// snapshots, recording) and two 320x240 test-pattern cameras, camera0 and
// camera1 (declared testsrc sources, V4L2 discovery off), for the snapshots
// and recording integration tests.
//

#ifndef CAMSVC_TEST_CAPTURESERVER_H
#define CAMSVC_TEST_CAPTURESERVER_H

#include "support/HttpClient.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <memory>

namespace camsvc::test {

inline ServerProcess::Options captureServerOptions(const std::string& stateDir = "")
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "cameras", "storage", "snapshots", "recording"};
	o.stateDir = stateDir;
	o.defines = {
		{"cameras.v4l2.enabled", "false"},
		{"cameras.sources.a.url", "testsrc://?size=320x240&rate=15"},
		{"cameras.sources.a.index", "0"},
		{"cameras.sources.b.url", "testsrc://?size=320x240&rate=15"},
		{"cameras.sources.b.index", "1"},
		{"mediamtx.enabled", "false"},
		{"logging.level", "information"},
	};
	return o;
}

inline std::unique_ptr<RpcClient> operatorClient(int port, const std::vector<std::string>& topics = {})
{
	auto c = std::make_unique<RpcClient>(port);
	c->authenticateAs("operator");
	if (!topics.empty())
	{
		Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
		for (const auto& t: topics)
			list->add(t);
		c->result("subscribe_events", RpcClient::params({{"topics", list}}));
	}
	return c;
}

inline Poco::JSON::Object::Ptr resultObject(RpcClient& c, const std::string& method, Poco::JSON::Object::Ptr params, int timeoutMs = 10000)
{
	return c.result(method, params, timeoutMs).extract<Poco::JSON::Object::Ptr>();
}

inline Poco::JSON::Object::Ptr errorObject(RpcClient& c, const std::string& method, Poco::JSON::Object::Ptr params)
	/// The error member, or null when the call succeeded.
{
	auto response = c.call(method, params);
	return response->has("error") ? response->getObject("error") : nullptr;
}

inline Poco::JSON::Object::Ptr waitNotification(RpcClient& c, const std::string& method, const std::string& status, int timeoutMs = 10000)
	/// The next notification of that method (and params.status, when not empty).
{
	for (int waited = 0; waited < timeoutMs; waited += 250)
	{
		auto n = c.nextNotification(250);
		if (!n || n->getValue<std::string>("method") != method)
			continue;
		auto params = n->getObject("params");
		if (status.empty() || params->getValue<std::string>("status") == status)
			return params;
	}
	return nullptr;
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_CAPTURESERVER_H
