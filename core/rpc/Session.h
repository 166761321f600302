//
// Session.h
//
// The state of one client connection (or one HTTP /rpc request): who it is
// authenticated as, until when, and which notification topics it wants.
//

#ifndef CAMSVC_CORE_SESSION_H
#define CAMSVC_CORE_SESSION_H

#include "camsvc/sdk/Identity.h"
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace camsvc::core {

class Session
	/// Thread-safe: requests of one connection may run on several threads.
{
public:
	Session(std::uint64_t connectionId, std::string remoteAddress);

	const std::string& id() const { return _id; }
	std::uint64_t connectionId() const { return _connectionId; }
	const std::string& remoteAddress() const { return _remoteAddress; }
		/// The peer of the connection, as accepted.
	std::string clientAddress() const;
		/// Who the client is: remoteAddress(), or the address a trusted proxy
		/// named (server.trusted_proxies), set at the WebSocket upgrade. What
		/// authentication throttling and CallContext::remoteAddress use.
	void setClientAddress(std::string address);

	void bind(const sdk::Identity& identity);
	void unbind();
	bool endIf(const std::string& method, const std::string& userId, const std::string& reason);
		/// Unbinds the session if it is authenticated as (method, userId) and
		/// remembers why; true if it was.
	std::string endReason() const;
		/// Why endIf() signed the session out; empty otherwise (and after bind()).
	bool authenticated(sdk::Identity& identity) const;
		/// Copies the bound identity; false when not authenticated.
	bool signedInBefore(std::chrono::steady_clock::time_point t, sdk::Identity& identity) const;
		/// authenticated(), and since before t: who gets a notification published at t
		/// (one published before a session signed in is not its news, even if delivered later).
	bool isAuthenticated() const { return _authenticated.load(std::memory_order_acquire); }

	bool wantsTopic(const std::string& topic) const;
		/// Every topic until the session subscribes; afterwards only its topics.
	bool wantsAnyTopic(const std::vector<std::string>& topics) const;
		/// wantsTopic() for any of them (a notification and its dotted topics).
	bool subscribedToAll() const;
		/// True until the first subscribe/unsubscribe: the session gets every notification.
	void subscribe(const std::set<std::string>& topics);
	void unsubscribe(const std::set<std::string>& topics);
	std::set<std::string> topics() const;

	void requestClose() { _closeRequested.store(true, std::memory_order_release); }
		/// Asks the transport to close the connection after the current call.
	bool closeRequested() const { return _closeRequested.load(std::memory_order_acquire); }

private:
	const std::string _id;
	const std::uint64_t _connectionId;
	const std::string _remoteAddress;
	std::string _clientAddress; // under _mutex; empty: remoteAddress
	mutable std::mutex _mutex;
	std::atomic<bool> _authenticated{false};
	std::atomic<bool> _closeRequested{false};
	sdk::Identity _identity;
	std::chrono::steady_clock::time_point _signedInAt; // under _mutex: when bind() followed a signed-out state
	std::string _endReason;
	bool _filtered = false;
	std::set<std::string> _topics;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_SESSION_H
