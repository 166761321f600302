//
// Connection.h
//
// One WebSocket client, driven by the I/O loop it belongs to. Input is read
// and parsed on that loop's thread only; output may be queued from any
// thread (responses from workers, notifications from the event bus) into a
// bounded queue: a client that does not read is disconnected instead of
// holding memory or stalling anyone else.
//

#ifndef CAMSVC_CORE_CONNECTION_H
#define CAMSVC_CORE_CONNECTION_H

#include "rpc/Session.h"
#include <Poco/Net/StreamSocket.h>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace camsvc {
namespace core {

class IoLoop;
class WebSocketServer;
struct FrameHeader;

class Connection: public std::enable_shared_from_this<Connection>
{
public:
	using Clock = std::chrono::steady_clock;

	Connection(Poco::Net::StreamSocket socket, std::uint64_t id, const std::string& remoteAddress,
		IoLoop& loop, WebSocketServer& server);
	~Connection();

	int fd() const { return _fd; }
	std::uint64_t id() const { return _id; }
	Session& session() { return _session; }
	IoLoop& loop() { return _loop; }

	// Any thread.
	bool sendText(std::string_view payload);
	bool sendFrame(const std::shared_ptr<const std::string>& frame);
		/// Queues a complete frame; false if the connection is closing or was
		/// dropped for a full queue.
	void close(std::uint16_t code, std::string_view reason);
		/// Starts the close handshake: sends a close frame, stops reading
		/// messages, and shuts the socket down once the client answers (or
		/// after a grace period).
	void abort();
		/// Shuts the socket down now.
	void callStarted();
	void callFinished();
		/// Worker calls in flight: reading pauses while too many are pending.
	void setReadingEnabled(bool enabled);
		/// Used at shutdown: no new requests are read.

	// I/O loop thread only.
	void registerWithLoop(int epollFd);
	void handleEvents(std::uint32_t events, char* buffer, std::size_t bufferSize);
	void checkTimers(Clock::time_point now);
	void release();
		/// Deregisters and closes the socket; the object may outlive this.
	bool released() const;
	bool closing() const;

private:
	bool enqueue(const std::shared_ptr<const std::string>& frame);
	void flushLocked();
	void shutdownLocked();
	void updateInterestLocked();
	void readInput(char* buffer, std::size_t bufferSize);
	void processInput();
	bool handleFrame(const FrameHeader& header, char* payload);
	void fail(std::uint16_t code, std::string_view reason);

	const int _fd;
	const std::uint64_t _id;
	Poco::Net::StreamSocket _socket;
	IoLoop& _loop;
	WebSocketServer& _server;
	Session _session;

	// Input: I/O thread only.
	std::string _in;
	std::string _fragments;
	bool _fragmented = false;
	std::atomic<bool> _closeReceived{false};
		// Written here, also read by close() from worker and event threads.
	Clock::time_point _lastActivity;

	// Output and state: guarded by _mutex.
	mutable std::mutex _mutex;
	std::deque<std::shared_ptr<const std::string>> _queue;
	std::size_t _headOffset = 0;
	std::size_t _queuedBytes = 0;
	int _epollFd = -1;
	std::uint32_t _interest = 0;
	bool _closed = false;           // socket released
	bool _shutdown = false;         // socket shut down, waiting for the loop to release it
	bool _closeSent = false;
	bool _closeAfterFlush = false;
	bool _readingEnabled = true;
	int _inFlight = 0;
	Clock::time_point _closeSentAt;
};

} } // namespace camsvc::core

#endif // CAMSVC_CORE_CONNECTION_H
