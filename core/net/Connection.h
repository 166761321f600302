//
// Connection.h
//
// One client of the service's port, driven by the I/O loop it belongs to
// from accept to close: the TLS handshake (if the port speaks TLS), HTTP/1.1
// requests with keep-alive, then — after an upgrade — WebSocket messages.
// Input is read and parsed on the loop's thread only; output may be queued
// from any thread (responses from workers, notifications from the event bus)
// into a bounded queue. A client that is slow or silent costs a descriptor
// and bounded buffers, never a thread: every phase has a deadline.
//

#ifndef CAMSVC_CORE_CONNECTION_H
#define CAMSVC_CORE_CONNECTION_H

#include "http/HttpRequestReader.h"
#include "net/CallLane.h"
#include "net/NetConfig.h"
#include "net/Transport.h"
#include "rpc/Session.h"
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace Poco { class Logger; }

namespace camsvc::core {

class Connection;
class IoLoop;
struct CoreMetrics;
struct FrameHeader;

class ConnectionHost
	/// What a connection hands its complete requests and messages to.
{
public:
	virtual ~ConnectionHost() = default;
	virtual const NetConfig& config() const = 0;
	virtual CoreMetrics& metrics() = 0;
	virtual Poco::Logger& logger() = 0;
	virtual void handleHttp(const std::shared_ptr<Connection>& connection, sdk::HttpRequest& request) = 0;
		/// Loop thread. Must end, now or later and from any thread, in
		/// respond() or upgradeToWebSocket().
	virtual void handleMessage(const std::shared_ptr<Connection>& connection, std::string&& text) = 0;
		/// Loop thread: a complete WebSocket text message (valid UTF-8).
	virtual void released(Connection& connection) = 0;
		/// Loop thread: the connection's socket is closed.
};

class Connection: public std::enable_shared_from_this<Connection>
{
public:
	using Clock = std::chrono::steady_clock;

	Connection(int fd, std::uint64_t id, std::string remoteAddress, IoLoop& loop, ConnectionHost& host,
		std::unique_ptr<Transport> transport, std::shared_ptr<CallLane> lane);
	~Connection();

	int fd() const { return _fd; }
	std::uint64_t id() const { return _id; }
	const std::string& remoteAddress() const { return _session.remoteAddress(); }
	Session& session() { return _session; }
	IoLoop& loop() { return _loop; }
	CallLane& lane() { return *_lane; }
	const std::shared_ptr<CallLane>& laneRef() const { return _lane; }
	bool secure() const { return _secure; }

	// HTTP mode, any thread.
	void respond(sdk::HttpResponse&& response);
		/// The answer to the request handed to ConnectionHost::handleHttp().
	// HTTP mode, loop thread.
	void upgradeToWebSocket(const std::string& acceptKey);
		/// Sends 101 Switching Protocols; the connection speaks WebSocket from here.

	// WebSocket mode, any thread.
	bool sendText(std::string_view payload);
	bool sendFrame(const std::shared_ptr<const std::string>& frame);
		/// Queues a complete frame; false if the connection is closing or was
		/// dropped for a full queue.
	void close(std::uint16_t code, std::string_view reason);
		/// Starts the close handshake after what is already queued: a close
		/// frame, no more requests read, the socket closed once the client
		/// answers (or after a grace period).
	void abort();
		/// Shuts the socket down now.
	void setReadingEnabled(bool enabled);
		/// Used at shutdown: no new requests are read.

	// Loop thread only.
	void start(int epollFd);
	void handleEvents(std::uint32_t events, char* buffer, std::size_t bufferSize);
	void checkTimers(Clock::time_point now);
	void release();
		/// Deregisters and closes the socket; the object may outlive this.
	bool released() const;
	bool closing() const;
	void resumeInput();
		/// Parses input buffered while the connection was waiting.

	// A streamed HTTP body (sdk::HttpStream), any thread.
	bool streamWrite(std::string_view bytes);
	void streamClose();
	bool streamOpen() const;
	std::size_t queuedBytes() const;

private:
	enum class Mode { Handshake, Http, WebSocket };
	struct Outgoing;

	bool enqueue(const std::shared_ptr<const std::string>& frame);
	void pushLocked(Outgoing item);
	void flushLocked();
	bool writeHeadLocked(Outgoing& head);
	void outputDoneLocked();
	void shutdownLocked();
	void updateInterestLocked();
	bool mayWriteHere() const;

	void doHandshake();
	void readInput(char* buffer, std::size_t bufferSize);
	void processInput();
	void processHttp();
	void sendHttpError(int status, const std::string& reason);
	void writeHttpResponse(sdk::HttpResponse& response);
	void startStream(sdk::HttpResponse& response);
	void httpResponseSent();
	void processWebSocket();
	bool handleFrame(const FrameHeader& header, char* payload);
	bool handleClose(const char* payload, std::size_t length);
	void fail(std::uint16_t code, std::string_view reason);
	std::size_t maxMessageBytes() const;
	void peerClosed();

	const int _fd;
	const std::uint64_t _id;
	IoLoop& _loop;
	ConnectionHost& _host;
	const std::unique_ptr<Transport> _transport;
	const bool _secure;
	const std::shared_ptr<CallLane> _lane;
	Session _session;

	// Input: loop thread only.
	std::string _in;
	HttpRequestReader _reader;
	bool _httpBusy = false;          // a request is with its handler
	bool _httpKeepAlive = true;
	bool _continueSent = false;
	std::string _requestMethod;
	std::string _fragments;
	bool _fragmented = false;
	std::size_t _drained = 0;
	Clock::time_point _phaseStarted;  // accept, request start, idle start, upgrade
	Clock::time_point _lastActivity;
	Clock::time_point _unauthenticatedSince;

	// Output and state: guarded by _mutex.
	mutable std::mutex _mutex;
	Mode _mode;
	std::deque<Outgoing> _queue;
	std::size_t _queuedBytes = 0;
	int _epollFd = -1;
	std::uint32_t _interest = 0;
	bool _readWantsWrite = false;    // TLS: a read must be retried when writable
	bool _closed = false;            // socket released
	bool _shutdown = false;          // socket shut down, waiting for the loop to release it
	bool _closeReceived = false;     // no more input is read as requests
	bool _closeSent = false;
	bool _closeAfterFlush = false;   // end the stream once the queue is empty
	bool _draining = false;          // our side is closed; reading until the peer closes
	bool _peerClosed = false;        // the client half-closed
	bool _httpResponseQueued = false;
	bool _streaming = false;         // a streamed body is open
	bool _readingEnabled = true;
	Clock::time_point _closeSentAt;
	Clock::time_point _lastWrite;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_CONNECTION_H
