#include "net/Connection.h"
#include "net/IoLoop.h"
#include "net/WebSocketFrame.h"
#include "net/WebSocketServer.h"
#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace camsvc {
namespace core {

namespace {
constexpr auto CloseGrace = std::chrono::seconds(2);
}

Connection::Connection(Poco::Net::StreamSocket socket, std::uint64_t id, const std::string& remoteAddress,
	IoLoop& loop, WebSocketServer& server):
	_fd(socket.impl()->sockfd()),
	_id(id),
	_socket(std::move(socket)),
	_loop(loop),
	_server(server),
	_session(id, remoteAddress),
	_lastActivity(Clock::now())
{
}

Connection::~Connection()
{
	release();
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
	if (_closed || _shutdown || _closeSent)
		return false;
	std::size_t offset = 0;
	if (_queue.empty())
	{
		ssize_t n = ::send(_fd, frame->data(), frame->size(), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			_server.metrics().bytesOut.inc(static_cast<std::uint64_t>(n));
		if (n == static_cast<ssize_t>(frame->size()))
			return true;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		{
			shutdownLocked();
			return false;
		}
		offset = n > 0 ? static_cast<std::size_t>(n) : 0;
	}
	std::size_t pending = frame->size() - offset;
	if (_queuedBytes + pending > _server.config().maxSendQueueBytes)
	{
		// A client that does not read must not hold memory or anyone else up.
		_server.metrics().connectionsClosedSlow.inc();
		_server.logger().debug("connection %Lu (%s): send queue full, disconnecting", _id, _session.remoteAddress());
		shutdownLocked();
		return false;
	}
	if (_queue.empty())
		_headOffset = offset;
	_queue.push_back(frame);
	_queuedBytes += pending;
	updateInterestLocked();
	return true;
}

void Connection::flushLocked()
{
	while (!_queue.empty())
	{
		const std::string& head = *_queue.front();
		ssize_t n = ::send(_fd, head.data() + _headOffset, head.size() - _headOffset, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
		{
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				shutdownLocked();
			break;
		}
		_server.metrics().bytesOut.inc(static_cast<std::uint64_t>(n));
		_queuedBytes -= static_cast<std::size_t>(n);
		_headOffset += static_cast<std::size_t>(n);
		if (_headOffset < head.size())
			break;
		_queue.pop_front();
		_headOffset = 0;
	}
	if (_queue.empty() && _closeAfterFlush)
		shutdownLocked();
	updateInterestLocked();
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
	if (_closed || _epollFd < 0)
		return;
	std::uint32_t interest = EPOLLRDHUP;
	if (_readingEnabled && _inFlight < _server.config().maxInFlight)
		interest |= EPOLLIN;
	if (!_queue.empty())
		interest |= EPOLLOUT;
	if (interest == _interest)
		return;
	_interest = interest;
	epoll_event ev{};
	ev.events = interest;
	ev.data.fd = _fd;
	::epoll_ctl(_epollFd, EPOLL_CTL_MOD, _fd, &ev);
}

void Connection::registerWithLoop(int epollFd)
{
	std::lock_guard lock(_mutex);
	_epollFd = epollFd;
	_interest = EPOLLRDHUP | EPOLLIN | (_queue.empty() ? 0u : static_cast<std::uint32_t>(EPOLLOUT));
	epoll_event ev{};
	ev.events = _interest;
	ev.data.fd = _fd;
	::epoll_ctl(_epollFd, EPOLL_CTL_ADD, _fd, &ev);
}

void Connection::close(std::uint16_t code, std::string_view reason)
{
	auto frame = std::make_shared<const std::string>(encodeClose(code, reason));
	std::lock_guard lock(_mutex);
	if (_closed || _shutdown || _closeSent)
		return;
	_closeSent = true;
	_closeSentAt = Clock::now();
	_queue.push_back(frame);
	if (_queue.size() == 1)
		_headOffset = 0;
	_queuedBytes += frame->size();
	if (_closeReceived)
		_closeAfterFlush = true;
	flushLocked();
}

void Connection::abort()
{
	std::lock_guard lock(_mutex);
	shutdownLocked();
}

void Connection::callStarted()
{
	std::lock_guard lock(_mutex);
	++_inFlight;
	updateInterestLocked();
}

void Connection::callFinished()
{
	bool resume;
	{
		std::lock_guard lock(_mutex);
		resume = _inFlight-- == _server.config().maxInFlight;
		updateInterestLocked();
	}
	if (resume)
	{
		// Messages already buffered while reading was paused are parsed now.
		auto self = shared_from_this();
		_loop.post([self] { self->processInput(); });
	}
}

void Connection::setReadingEnabled(bool enabled)
{
	std::lock_guard lock(_mutex);
	_readingEnabled = enabled;
	updateInterestLocked();
}

void Connection::handleEvents(std::uint32_t events, char* buffer, std::size_t bufferSize)
{
	if (events & EPOLLOUT)
	{
		std::lock_guard lock(_mutex);
		flushLocked();
	}
	if (events & EPOLLIN)
		readInput(buffer, bufferSize);
	if (events & (EPOLLHUP | EPOLLERR))
	{
		_loop.remove(_fd);
		return;
	}
	if ((events & EPOLLRDHUP) && !(events & EPOLLIN))
		_loop.remove(_fd);
}

void Connection::readInput(char* buffer, std::size_t bufferSize)
{
	ssize_t n = ::recv(_fd, buffer, bufferSize, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
	{
		_loop.remove(_fd);
		return;
	}
	if (n < 0)
		return;
	_server.metrics().bytesIn.inc(static_cast<std::uint64_t>(n));
	_lastActivity = Clock::now();
	_in.append(buffer, static_cast<std::size_t>(n));
	processInput();
}

void Connection::processInput()
{
	std::size_t pos = 0;
	const auto& config = _server.config();
	while (pos < _in.size() && !_closeReceived)
	{
		{
			std::lock_guard lock(_mutex);
			if (_closed || _shutdown || !_readingEnabled || _inFlight >= config.maxInFlight)
				break;
		}
		FrameHeader header;
		auto status = parseFrameHeader(_in.data() + pos, _in.size() - pos, config.maxMessageBytes, header);
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
			_server.dispatch(shared_from_this(), std::string(payload, length));
			return true;
		}
		_fragmented = true;
		_fragments.assign(payload, length);
		return true;
	case Opcode::Continuation:
		if (!_fragmented)
			return fail(CloseCode::ProtocolError, "unexpected continuation"), false;
		if (_fragments.size() + length > _server.config().maxMessageBytes)
			return fail(CloseCode::MessageTooBig, "message too big"), false;
		_fragments.append(payload, length);
		if (header.fin)
		{
			_fragmented = false;
			if (closing())
				return true;
			std::string message;
			message.swap(_fragments);
			_server.dispatch(shared_from_this(), std::move(message));
		}
		return true;
	case Opcode::Ping:
		enqueue(std::make_shared<const std::string>(encodeFrame(Opcode::Pong, std::string_view(payload, length))));
		return true;
	case Opcode::Pong:
		return true;
	case Opcode::Close:
	default:
	{
		_closeReceived = true;
		std::uint16_t code = CloseCode::Normal;
		if (length >= 2)
			code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1]));
		std::lock_guard lock(_mutex);
		if (_closeSent)
		{
			shutdownLocked(); // our close was answered: done
			return false;
		}
		auto frame = std::make_shared<const std::string>(encodeClose(code));
		_closeSent = true;
		_closeSentAt = Clock::now();
		_closeAfterFlush = true;
		if (_queue.empty())
			_headOffset = 0;
		_queue.push_back(frame);
		_queuedBytes += frame->size();
		flushLocked();
		return false;
	}
	}
}

void Connection::fail(std::uint16_t code, std::string_view reason)
{
	_closeReceived = true; // read nothing more
	close(code, reason);
	std::lock_guard lock(_mutex);
	_closeAfterFlush = true;
	flushLocked();
}

void Connection::checkTimers(Clock::time_point now)
{
	bool idle = false;
	{
		std::lock_guard lock(_mutex);
		if (_closeSent && now - _closeSentAt > CloseGrace)
		{
			shutdownLocked();
			return;
		}
		auto timeout = _server.config().idleTimeout;
		idle = !_closeSent && timeout.count() > 0 && now - _lastActivity > timeout && _inFlight == 0;
	}
	if (idle)
	{
		_server.metrics().connectionsClosedIdle.inc();
		close(CloseCode::GoingAway, "idle timeout");
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
	try
	{
		_socket.close();
	}
	catch (...)
	{
	}
}

bool Connection::closing() const
{
	std::lock_guard lock(_mutex);
	return _closeSent || _shutdown || _closed;
}

bool Connection::released() const
{
	std::lock_guard lock(_mutex);
	return _closed;
}

} } // namespace camsvc::core
