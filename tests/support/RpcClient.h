//
// RpcClient.h
//
// A blocking JSON-RPC 2.0 client over WebSocket for integration tests
// (Poco::Net::WebSocket). Notifications that arrive while waiting for a
// response are queued and can be read with nextNotification().
//

#ifndef CAMSVC_TEST_RPCCLIENT_H
#define CAMSVC_TEST_RPCCLIENT_H

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>
#include <deque>
#include <map>
#include <memory>
#include <string>

namespace camsvc::test {

std::string testToken(const std::string& role, const std::string& user = "tester", int ttlSeconds = 3600);
	/// A token the test_auth fixture plugin accepts: "test:<role>:<user>:<expiry epoch>".

class RpcClient
{
public:
	explicit RpcClient(int port, const std::string& path = "/ws", const std::map<std::string, std::string>& headers = {});
		/// headers: extra headers of the upgrade request (X-Forwarded-For, ...).
	~RpcClient();

	Poco::JSON::Object::Ptr call(const std::string& method, Poco::JSON::Object::Ptr params = nullptr, int timeoutMs = 10000);
		/// Sends a request with a fresh integer id; returns the whole response
		/// object (with "result" or "error").
	Poco::Dynamic::Var result(const std::string& method, Poco::JSON::Object::Ptr params = nullptr, int timeoutMs = 10000);
		/// call() and return "result"; throws std::runtime_error with the error's JSON otherwise.
	int errorCode(const std::string& method, Poco::JSON::Object::Ptr params = nullptr, int timeoutMs = 10000);
		/// call() and return error.code; 0 if the call succeeded.
	void authenticate(const std::string& token);
		/// Calls authenticate; throws if it fails.
	void authenticateAs(const std::string& role) { authenticate(testToken(role)); }
	Poco::JSON::Object::Ptr subscribe(std::initializer_list<std::string> topics);
		/// subscribe_events for these topics; its result. Throws like result().

	void sendText(const std::string& text);
		/// Sends a raw text frame.
	std::string receiveText(int timeoutMs = 10000);
		/// Next text message (response or notification) not already queued; throws on timeout/close.
	std::string receiveReply(int timeoutMs = 10000);
		/// Next text message that is not a notification (a response, a batch of
		/// them, anything unparsable); notifications before it are queued for
		/// nextNotification(). For replies to sendText(): the core's startup
		/// system_status_update may reach a session that has just authenticated.
	Poco::JSON::Object::Ptr nextNotification(int timeoutMs = 5000);
		/// The next JSON-RPC notification (no id), or null on timeout.
	Poco::Net::WebSocket& socket() { return *_ws; }

	static Poco::JSON::Object::Ptr params(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> values);
		/// Builds a params object: RpcClient::params({{"device", "camera0"}}).

private:
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
	std::unique_ptr<Poco::Net::WebSocket> _ws;
	std::deque<Poco::JSON::Object::Ptr> _notifications;
	int _nextId = 1;
};

Poco::JSON::Object::Ptr parseObject(const std::string& json);

} // namespace camsvc::test

#endif // CAMSVC_TEST_RPCCLIENT_H
