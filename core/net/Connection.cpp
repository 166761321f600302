#include "net/Connection.h"
#include "http/HttpResponseWriter.h"
#include "metrics/CoreMetrics.h"
#include "net/IoLoop.h"
#include "net/Utf8.h"
#include "net/WebSocketFrame.h"
#include <Poco/Logger.h>
#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace camsvc::core {

namespace {
constexpr auto CloseGrace = std::chrono::seconds(2);
constexpr std::size_t FileSlice = 1024 * 1024; // one sendfile() call at most; other clients get their turn
constexpr std::size_t MaxDrainBytes = 1024 * 1024; // read and dropped after our side closed

bool validCloseCode(std::uint16_t code)
	/// RFC 6455 §7.4: codes a peer may send. 1005, 1006 and 1015 are only
	/// ever reported locally; 1004 is reserved.
{
	if (code >= 3000 && code <= 4999)
		return true;
	return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}
} // namespace

namespace {

class Stream: public sdk::HttpStream
	/// The handle a plugin writes a streamed body through; it does not keep
	/// the connection alive.
{
public:
	explicit Stream(std::weak_ptr<Connection> connection): _connection(std::move(connection)) {}
	~Stream() override { close(); }

	bool write(std::string_view bytes) override
	{
		auto c = _connection.lock();
		return c && c->streamWrite(bytes);
	}
	std::size_t queuedBytes() const override
	{
		auto c = _connection.lock();
		return c ? c->queuedBytes() : 0;
	}
	bool open() const override
	{
		auto c = _connection.lock();
		return c && c->streamOpen();
	}
	void close() override
	{
		if (auto c = _connection.lock())
			c->streamClose();
	}

private:
	std::weak_ptr<Connection> _connection;
};

} // namespace

struct Connection::Outgoing
	/// Either bytes (a frame, a response head or body) or a file range.
{
	std::shared_ptr<const std::string> bytes;
	std::size_t offset = 0;
	std::shared_ptr<FileRange> file;

	std::size_t remaining() const { return bytes ? bytes->size() - offset : 0; }
};

Connection::Connection(int fd, std::uint64_t id, std::string remoteAddress, IoLoop& loop, ConnectionHost& host,
	std::unique_ptr<Transport> transport, std::shared_ptr<CallLane> lane):
	_fd(fd),
	_id(id),
	_loop(loop),
	_host(host),
	_transport(std::move(transport)),
	_secure(_transport->secure()),
	_lane(std::move(lane)),
	_session(id, std::move(remoteAddress)),
	_reader(host.config().http),
	_phaseStarted(Clock::now()),
	_lastActivity(_phaseStarted),
	_unauthenticatedSince(_phaseStarted),
	_mode(_secure ? Mode::Handshake : Mode::Http),
	_lastWrite(_phaseStarted)
{
}

Connection::~Connection()
{
	release();
}

// ---- output (any thread) --------------------------------------------------

bool Connection::mayWriteHere() const
{
	// An SSL object is driven by the loop thread only; other threads queue.
	return !_secure || _loop.inLoopThread();
}

bool Connection::sendText(std::string_view payload)
{
	return enqueue(std::make_shared<const std::string>(encodeFrame(Opcode::Text, payload)));
}

bool Connection::sendFrame(const std::shared_ptr<const std::string>& frame)
{
	return enqueue(frame);
}

bool Connection::enqueue(const std::shared_ptr<const std::string>& frame)
{
	std::lock_guard lock(_mutex);
	if (_closed || _shutdown || _closeSent || _mode != Mode::WebSocket)
		return false;
	if (_queuedBytes + frame->size() > _host.config().maxSendQueueBytes)
	{
		// A client that does not read must not hold memory or anyone else up.
		_host.metrics().connectionsClosedSlow.inc();
		_host.logger().debug("connection %Lu (%s): send queue full, disconnecting", _id, _session.remoteAddress());
		shutdownLocked();
		return false;
	}
	Outgoing item;
	item.bytes = frame;
	pushLocked(std::move(item));
	return !_shutdown;
}

void Connection::pushLocked(Outgoing item)
{
	_queuedBytes += item.remaining();
	if (_queue.empty() && item.bytes && mayWriteHere() && !_shutdown && !_closed)
	{
		// Nothing ahead of it: straight to the socket (the common case of a reply).
		if (writeHeadLocked(item))
		{
			if (!_shutdown && !_closed)
				outputDoneLocked();
			updateInterestLocked();
			return;
		}
		if (_shutdown || _closed)
			return;
		_queue.push_back(std::move(item));
		_lastWrite = Clock::now();
		updateInterestLocked();
		return;
	}
	_queue.push_back(std::move(item));
	if (_queue.size() == 1)
		_lastWrite = Clock::now(); // the send deadline counts from when there is something to send
	if (mayWriteHere())
		flushLocked();
	else
		updateInterestLocked();
}

bool Connection::writeHeadLocked(Outgoing& head)
	/// Writes as much of the queue's head as the socket takes; true when it is done.
{
	for (;;)
	{
		IoResult result;
		if (head.bytes)
		{
			if (head.remaining() == 0)
				return true;
			result = _transport->write(head.bytes->data() + head.offset, head.remaining());
		}
		else
		{
			if (head.file->length == 0)
				return true;
			result = _transport->sendFile(head.file->fd, head.file->offset,
				static_cast<std::size_t>(std::min<std::uint64_t>(head.file->length, FileSlice)));
		}
		if (result.kind == IoResult::Again)
			return false;
		if (result.kind != IoResult::Done || result.bytes == 0)
		{
			shutdownLocked();
			return false;
		}
		_lastWrite = Clock::now();
		_host.metrics().bytesOut.inc(result.bytes);
		if (head.bytes)
		{
			head.offset += result.bytes;
			_queuedBytes -= result.bytes;
		}
		else
		{
			head.file->offset += result.bytes;
			head.file->length -= result.bytes;
			if (head.file->length > 0)
				return false; // the loop comes back when writable: one slice per turn
		}
	}
}

void Connection::flushLocked()
{
	while (!_queue.empty() && !_shutdown && !_closed)
	{
		if (!writeHeadLocked(_queue.front()))
			break;
		_queue.pop_front();
	}
	if (_queue.empty() && !_shutdown && !_closed)
		outputDoneLocked();
	updateInterestLocked();
}

void Connection::outputDoneLocked()
{
	if (_httpResponseQueued)
	{
		_httpResponseQueued = false;
		auto self = shared_from_this();
		_loop.post([self] { self->httpResponseSent(); });
	}
	if (_closeAfterFlush && !_draining)
	{
		// Half-close, then read (and drop) until the client closes too, so
		// it reads everything we sent instead of a reset.
		_draining = true;
		_closeReceived = true;
		_closeSentAt = Clock::now();
		_transport->shutdownWrite();
	}
}

void Connection::shutdownLocked()
{
	if (_closed || _shutdown)
		return;
	_shutdown = true;
	_queue.clear();
	_queuedBytes = 0;
	::shutdown(_fd, SHUT_RDWR); // the loop sees the hang-up and releases the socket
}

void Connection::updateInterestLocked()
{
	if (_closed || _epollFd < 0 || _shutdown)
		return;
	std::uint32_t interest = 0;
	bool wantRead = false;
	switch (_mode)
	{
	case Mode::Handshake:
		wantRead = !_readWantsWrite;
		break;
	case Mode::Http:
		wantRead = !_httpBusy || _draining;
		break;
	case Mode::WebSocket:
		wantRead = _readingEnabled || _draining || _closeSent;
		break;
	}
	if (_peerClosed)
		wantRead = false;
	else
		interest |= EPOLLRDHUP;
	if (wantRead && !_readWantsWrite)
		interest |= EPOLLIN;
	if (!_queue.empty() || _readWantsWrite)
		interest |= EPOLLOUT;
	if (interest == _interest)
		return;
	_interest = interest;
	epoll_event ev{};
	ev.events = interest;
	ev.data.fd = _fd;
	::epoll_ctl(_epollFd, EPOLL_CTL_MOD, _fd, &ev);
}

void Connection::close(std::uint16_t code, std::string_view reason)
{
	auto frame = std::make_shared<const std::string>(encodeClose(code, reason));
	std::lock_guard lock(_mutex);
	if (_closed || _shutdown || _closeSent || _mode != Mode::WebSocket)
		return;
	_closeSent = true;
	_closeSentAt = Clock::now();
	if (_closeReceived)
		_closeAfterFlush = true;
	Outgoing item;
	item.bytes = frame;
	pushLocked(std::move(item));
}

void Connection::abort()
{
	std::lock_guard lock(_mutex);
	shutdownLocked();
}

void Connection::setReadingEnabled(bool enabled)
{
	std::lock_guard lock(_mutex);
	_readingEnabled = enabled;
	updateInterestLocked();
	if (enabled && _mode == Mode::WebSocket)
	{
		auto self = shared_from_this();
		_loop.post([self] { self->resumeInput(); });
	}
}

// ---- loop thread -----------------------------------------------------------

void Connection::start(int epollFd)
{
	std::lock_guard lock(_mutex);
	_epollFd = epollFd;
	_interest = EPOLLRDHUP | EPOLLIN;
	epoll_event ev{};
	ev.events = _interest;
	ev.data.fd = _fd;
	::epoll_ctl(_epollFd, EPOLL_CTL_ADD, _fd, &ev);
}

void Connection::handleEvents(std::uint32_t events, char* buffer, std::size_t bufferSize)
{
	if (events & (EPOLLHUP | EPOLLERR))
	{
		_loop.remove(_fd);
		return;
	}
	Mode mode;
	bool readWantsWrite;
	{
		std::lock_guard lock(_mutex);
		mode = _mode;
		readWantsWrite = _readWantsWrite;
		if ((events & EPOLLOUT) && mode != Mode::Handshake)
			flushLocked();
	}
	if (mode == Mode::Handshake)
		return doHandshake();
	if ((events & EPOLLIN) || (readWantsWrite && (events & EPOLLOUT)))
		readInput(buffer, bufferSize);
	if ((events & EPOLLRDHUP) && !(events & EPOLLIN) && !released())
		peerClosed();
}

void Connection::doHandshake()
{
	IoResult result = _transport->handshake();
	std::lock_guard lock(_mutex);
	if (result.kind == IoResult::Done)
	{
		_mode = Mode::Http;
		_readWantsWrite = false;
		_phaseStarted = Clock::now();
		updateInterestLocked();
		auto self = shared_from_this();
		_loop.post([self] { self->resumeInput(); }); // the client may have sent its request already
		return;
	}
	if (result.kind == IoResult::Again)
	{
		_readWantsWrite = result.wantWrite;
		updateInterestLocked();
		return;
	}
	_host.metrics().tlsHandshakeFailures.inc();
	shutdownLocked();
}

void Connection::readInput(char* buffer, std::size_t bufferSize)
{
	// Decrypted bytes OpenSSL holds are not signalled by epoll: keep reading
	// while it has any (bounded by one buffer's worth of rounds).
	for (int round = 0; round < 16; ++round)
	{
		IoResult result = _transport->read(buffer, bufferSize);
		{
			std::lock_guard lock(_mutex);
			bool wanted = _readWantsWrite;
			_readWantsWrite = result.kind == IoResult::Again && result.wantWrite;
			if (wanted != _readWantsWrite)
				updateInterestLocked();
		}
		if (result.kind == IoResult::Again)
			break;
		if (result.kind != IoResult::Done)
		{
			if (result.kind == IoResult::Closed)
				return peerClosed();
			_loop.remove(_fd);
			return;
		}
		_host.metrics().bytesIn.inc(result.bytes);
		_lastActivity = Clock::now();
		bool draining;
		{
			std::lock_guard lock(_mutex);
			draining = _draining;
		}
		if (draining)
		{
			// A lingering close reads what the client still sends, up to a point.
			_drained += result.bytes;
			if (_drained > MaxDrainBytes)
			{
				_loop.remove(_fd);
				return;
			}
		}
		else
			_in.append(buffer, result.bytes);
		if (!_transport->pendingInput())
			break;
	}
	processInput();
}

void Connection::peerClosed()
{
	bool keep;
	{
		std::lock_guard lock(_mutex);
		_peerClosed = true;
		// An HTTP client may half-close after its request: it still gets the answer.
		keep = _mode == Mode::Http && (_httpBusy || !_queue.empty()) && !_draining && !_streaming;
		if (keep)
		{
			_closeAfterFlush = true;
			updateInterestLocked();
		}
	}
	if (!keep)
		_loop.remove(_fd);
}

void Connection::resumeInput()
{
	if (!released())
		processInput();
}

void Connection::processInput()
{
	Mode mode;
	{
		std::lock_guard lock(_mutex);
		if (_closed || _shutdown || _draining)
		{
			_in.clear();
			return;
		}
		mode = _mode;
	}
	if (mode == Mode::Http)
		processHttp();
	else if (mode == Mode::WebSocket)
		processWebSocket();
}

// ---- HTTP ------------------------------------------------------------------

void Connection::processHttp()
{
	if (_httpBusy || _in.empty())
		return;
	bool wasStarted = _reader.started();
	auto status = _reader.feed(_in);
	if (!wasStarted && _reader.started())
		_phaseStarted = Clock::now(); // the header deadline runs from a request's first byte
	if (status == HttpRequestReader::Status::Error)
		return sendHttpError(_reader.errorStatus(), _reader.errorReason());
	if (status == HttpRequestReader::Status::NeedMore)
	{
		if (_reader.expectsContinue() && !_continueSent)
		{
			_continueSent = true;
			std::lock_guard lock(_mutex);
			Outgoing item;
			item.bytes = std::make_shared<const std::string>("HTTP/1.1 100 Continue\r\n\r\n");
			pushLocked(std::move(item));
		}
		return;
	}
	{
		std::lock_guard lock(_mutex);
		_httpBusy = true;
		updateInterestLocked();
	}
	_httpKeepAlive = _reader.keepAlive();
	_requestMethod = _reader.request().method;
	_host.metrics().httpRequests.inc();
	_host.handleHttp(shared_from_this(), _reader.request());
}

void Connection::sendHttpError(int status, const std::string& reason)
{
	_host.metrics().httpRejected.inc();
	_host.logger().debug("connection %Lu (%s): HTTP %d %s", _id, _session.remoteAddress(), status, reason);
	{
		std::lock_guard lock(_mutex);
		_httpBusy = true;
	}
	_httpKeepAlive = false;
	_requestMethod.clear();
	sdk::HttpResponse response;
	response.status = status;
	response.setBody(httpErrorBody(status, reason), "application/json");
	writeHttpResponse(response);
}

void Connection::respond(sdk::HttpResponse&& response)
{
	auto self = shared_from_this();
	auto shared = std::make_shared<sdk::HttpResponse>(std::move(response));
	_loop.post([self, shared] { self->writeHttpResponse(*shared); });
}

void Connection::writeHttpResponse(sdk::HttpResponse& response)
{
	auto file = takeFileBody(response);
	bool head = _requestMethod == "HEAD";
	if (response.onStream && !head)
		return startStream(response);
	std::uint64_t length = file ? file->length : response.body.size();
	auto headBytes = std::make_shared<std::string>(serializeResponseHead(response, length, _httpKeepAlive));
	if (!head && !file)
		headBytes->append(response.body); // one write for small answers
	std::lock_guard lock(_mutex);
	if (_closed || _shutdown)
		return;
	if (!_httpKeepAlive)
		_closeAfterFlush = true;
	_httpResponseQueued = true;
	Outgoing item;
	item.bytes = std::move(headBytes);
	if (file && !head)
	{
		// Head and file are queued together: the response is not "sent" after its head.
		Outgoing body;
		body.file = std::move(file);
		_queue.push_back(std::move(item));
		_queuedBytes += _queue.back().remaining();
		pushLocked(std::move(body));
		return;
	}
	pushLocked(std::move(item));
}

void Connection::startStream(sdk::HttpResponse& response)
{
	{
		std::lock_guard lock(_mutex);
		if (_closed || _shutdown)
			return;
		_streaming = true;
		_httpKeepAlive = false; // the stream's end is the connection's
		Outgoing item;
		item.bytes = std::make_shared<const std::string>(serializeResponseHead(response, std::nullopt, false));
		pushLocked(std::move(item));
	}
	response.onStream(std::make_shared<Stream>(weak_from_this()));
}

bool Connection::streamWrite(std::string_view bytes)
{
	if (bytes.empty())
		return streamOpen();
	std::lock_guard lock(_mutex);
	if (!_streaming || _closed || _shutdown)
		return false;
	if (_queuedBytes + bytes.size() > _host.config().maxSendQueueBytes)
		return false; // the client is behind: the writer skips ahead
	Outgoing item;
	item.bytes = std::make_shared<const std::string>(chunk(bytes));
	pushLocked(std::move(item));
	return !_shutdown;
}

void Connection::streamClose()
{
	std::lock_guard lock(_mutex);
	if (!_streaming || _closed || _shutdown)
		return;
	_streaming = false;
	_closeAfterFlush = true;
	Outgoing item;
	item.bytes = std::make_shared<const std::string>(chunk({}));
	pushLocked(std::move(item));
}

bool Connection::streamOpen() const
{
	std::lock_guard lock(_mutex);
	return _streaming && !_closed && !_shutdown;
}

std::size_t Connection::queuedBytes() const
{
	std::lock_guard lock(_mutex);
	return _queuedBytes;
}

void Connection::httpResponseSent()
{
	{
		std::lock_guard lock(_mutex);
		if (_closed || _shutdown || _draining || _mode != Mode::Http || _closeAfterFlush)
			return;
		_httpBusy = false;
		updateInterestLocked();
	}
	_reader.reset();
	_continueSent = false;
	_phaseStarted = Clock::now(); // keep-alive idle from here
	processHttp();
}

void Connection::upgradeToWebSocket(const std::string& acceptKey)
{
	auto response = std::make_shared<const std::string>(
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
		+ acceptKey + "\r\n\r\n");
	{
		std::lock_guard lock(_mutex);
		_mode = Mode::WebSocket;
		_httpBusy = false;
		Outgoing item;
		item.bytes = response;
		pushLocked(std::move(item));
	}
	_phaseStarted = _unauthenticatedSince = _lastActivity = Clock::now();
	_host.metrics().webSocketUpgrades.inc();
	processWebSocket(); // frames sent right behind the upgrade request
}

// ---- WebSocket ---------------------------------------------------------------

std::size_t Connection::maxMessageBytes() const
{
	// Before authentication a client gets a small allowance: 300 anonymous
	// sockets must not be able to park hundreds of megabytes.
	const auto& config = _host.config();
	return _session.isAuthenticated() ? config.maxMessageBytes : std::min(config.maxMessageBytes, config.maxUnauthenticatedMessageBytes);
}

void Connection::processWebSocket()
{
	std::size_t pos = 0;
	const std::size_t limit = maxMessageBytes();
	while (pos < _in.size())
	{
		{
			std::lock_guard lock(_mutex);
			if (_closed || _shutdown || !_readingEnabled || _closeReceived)
				break;
		}
		FrameHeader header;
		auto status = parseFrameHeader(_in.data() + pos, _in.size() - pos, limit, header);
		if (status == FrameStatus::NeedMore)
			break;
		if (status == FrameStatus::ProtocolError)
			return fail(CloseCode::ProtocolError, "protocol error");
		if (status == FrameStatus::TooBig)
			return fail(CloseCode::MessageTooBig, "message too big");
		if (_in.size() - pos < header.headerLength + header.payloadLength)
			break;
		char* payload = _in.data() + pos + header.headerLength;
		unmask(payload, header.payloadLength, header.mask);
		pos += header.headerLength + header.payloadLength;
		if (!handleFrame(header, payload))
			return;
	}
	_in.erase(0, pos);
	if (_in.capacity() > 65536 && _in.size() < 4096)
		_in.shrink_to_fit(); // idle connections keep no large buffers
}

bool Connection::handleFrame(const FrameHeader& header, char* payload)
{
	const auto length = static_cast<std::size_t>(header.payloadLength);
	switch (header.opcode)
	{
	case Opcode::Text:
	case Opcode::Binary:
		if (_fragmented)
			return fail(CloseCode::ProtocolError, "expected continuation"), false;
		if (header.opcode == Opcode::Binary)
			return fail(CloseCode::UnsupportedData, "text frames only"), false;
		if (closing())
			return true; // after our close frame, requests are no longer read
		if (header.fin)
		{
			if (!validUtf8(std::string_view(payload, length)))
				return fail(CloseCode::InvalidPayload, "invalid UTF-8"), false;
			_host.handleMessage(shared_from_this(), std::string(payload, length));
			return true;
		}
		_fragmented = true;
		_fragments.assign(payload, length);
		return true;
	case Opcode::Continuation:
		if (!_fragmented)
			return fail(CloseCode::ProtocolError, "unexpected continuation"), false;
		if (_fragments.size() + length > maxMessageBytes())
			return fail(CloseCode::MessageTooBig, "message too big"), false;
		_fragments.append(payload, length);
		if (header.fin)
		{
			_fragmented = false;
			std::string message;
			message.swap(_fragments);
			if (!validUtf8(message))
				return fail(CloseCode::InvalidPayload, "invalid UTF-8"), false;
			if (!closing())
				_host.handleMessage(shared_from_this(), std::move(message));
		}
		return true;
	case Opcode::Ping:
		enqueue(std::make_shared<const std::string>(encodeFrame(Opcode::Pong, std::string_view(payload, length))));
		return true;
	case Opcode::Pong:
		return true;
	default:
		return handleClose(payload, length);
	}
}

bool Connection::handleClose(const char* payload, std::size_t length)
{
	std::uint16_t code = CloseCode::Normal;
	std::uint16_t reply = CloseCode::Normal;
	if (length == 1)
		reply = CloseCode::ProtocolError;
	else if (length >= 2)
	{
		code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1]));
		if (!validCloseCode(code))
			reply = CloseCode::ProtocolError;
		else if (!validUtf8(std::string_view(payload + 2, length - 2)))
			reply = CloseCode::InvalidPayload;
		else
			reply = code;
	}
	std::lock_guard lock(_mutex);
	_closeReceived = true;
	if (_closeSent)
	{
		// Our close was answered: end our side and wait for the client's FIN.
		_closeAfterFlush = true;
		if (_queue.empty())
			outputDoneLocked();
		updateInterestLocked();
		return false;
	}
	_closeSent = true;
	_closeSentAt = Clock::now();
	_closeAfterFlush = true;
	Outgoing item;
	item.bytes = std::make_shared<const std::string>(encodeClose(reply));
	pushLocked(std::move(item));
	return false;
}

void Connection::fail(std::uint16_t code, std::string_view reason)
{
	{
		std::lock_guard lock(_mutex);
		_closeReceived = true; // read nothing more as requests
	}
	_host.logger().debug("connection %Lu (%s): closing with %hu (%s)", _id, _session.remoteAddress(), code, std::string(reason));
	// The close frame goes after the replies to every request read before the bad one.
	auto self = shared_from_this();
	auto closeNow = [self, code, text = std::string(reason)] {
		self->close(code, text);
		std::lock_guard lock(self->_mutex);
		self->_closeAfterFlush = true;
		if (self->_queue.empty())
			self->outputDoneLocked();
		self->updateInterestLocked();
	};
	if (_lane->submitLast(closeNow) == CallLane::Outcome::RunInline)
		closeNow();
}

// ---- timers ------------------------------------------------------------------

void Connection::checkTimers(Clock::time_point now)
{
	const auto& config = _host.config();
	enum { None, Drop, Idle, AuthTimeout } action = None;
	{
		std::lock_guard lock(_mutex);
		if (_closed || _shutdown)
			return;
		if (!_queue.empty() && now - _lastWrite > config.sendTimeout)
		{
			_host.metrics().connectionsClosedSlow.inc();
			action = Drop; // a reader that stopped reading
		}
		else if ((_draining || _closeSent) && now - _closeSentAt > CloseGrace)
			action = Drop;
		else if (_mode == Mode::Handshake && now - _phaseStarted > config.tlsHandshakeTimeout)
			action = Drop;
		else if (_mode == Mode::Http && !_httpBusy && !_draining)
		{
			auto limit = !_reader.started() ? config.keepAliveTimeout
				: _reader.readingBody() ? config.headerTimeout + config.bodyTimeout : config.headerTimeout;
			if (now - _phaseStarted > limit)
			{
				_host.metrics().connectionsClosedIdle.inc();
				action = Drop;
			}
		}
		else if (_mode == Mode::WebSocket && !_closeSent)
		{
			if (_session.isAuthenticated())
				_unauthenticatedSince = now;
			if (config.authTimeout.count() > 0 && now - _unauthenticatedSince > config.authTimeout)
				action = AuthTimeout;
			else if (config.idleTimeout.count() > 0 && now - _lastActivity > config.idleTimeout && _lane->queued() == 0)
				action = Idle;
		}
		if (action == Drop)
			shutdownLocked();
	}
	if (action == Idle)
	{
		_host.metrics().connectionsClosedIdle.inc();
		close(CloseCode::GoingAway, "idle timeout");
	}
	else if (action == AuthTimeout)
	{
		_host.metrics().connectionsClosedIdle.inc();
		close(CloseCode::PolicyViolation, "authentication timeout");
	}
}

void Connection::release()
{
	std::lock_guard lock(_mutex);
	if (_closed)
		return;
	_closed = true;
	if (_epollFd >= 0)
		::epoll_ctl(_epollFd, EPOLL_CTL_DEL, _fd, nullptr);
	_queue.clear();
	_queuedBytes = 0;
	::close(_fd);
}

bool Connection::closing() const
{
	std::lock_guard lock(_mutex);
	return _closeSent || _shutdown || _closed || _draining;
}

bool Connection::released() const
{
	std::lock_guard lock(_mutex);
	return _closed;
}

} // namespace camsvc::core
