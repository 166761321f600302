//
// RawClient.h
//
// A loopback TCP client that sends exactly the bytes a test says, as slowly
// or as badly as an attacker would, and tells how the server answered:
// bytes, an orderly close (FIN) or a reset. Also speaks just enough
// WebSocket (masked frames of any opcode, fragments, close payloads) to
// drive the server's framing from the outside.
//

#ifndef CAMSVC_TEST_RAWCLIENT_H
#define CAMSVC_TEST_RAWCLIENT_H

#include <chrono>
#include <cstdint>
#include <string>

namespace camsvc::test {

int connectLoopback(int port, int receiveBufferBytes = 0);
	/// A TCP socket (TCP_NODELAY, close-on-exec) connected to 127.0.0.1:port, or -1;
	/// receiveBufferBytes > 0 sets SO_RCVBUF before connecting. The caller owns the fd.

class RawClient
{
public:
	enum class End { Open, Fin, Reset, Timeout };

	explicit RawClient(int port, int receiveBufferBytes = 0);
		/// Connects to 127.0.0.1:port (throws std::runtime_error); a small
		/// receive buffer makes a client that stops reading stall the server quickly.
	~RawClient();
	RawClient(const RawClient&) = delete;
	RawClient& operator=(const RawClient&) = delete;

	int fd() const { return _fd; }
	bool send(const std::string& bytes);
		/// False if the server closed or reset the connection.
	std::string receive(int timeoutMs, std::size_t atMost = 1 << 20);
		/// What arrives within the timeout (may be empty); records end().
	std::string receiveUntil(const std::string& marker, int timeoutMs);
		/// Reads until marker has arrived (or the timeout / end of stream).
	End waitEnd(int timeoutMs);
		/// Reads and drops everything until the server ends the stream.
	End end() const { return _end; }

	// WebSocket
	bool upgrade(const std::string& path = "/ws");
		/// Sends the opening handshake and reads the 101 answer.
	static std::string frame(std::uint8_t opcode, const std::string& payload, bool fin = true);
		/// A masked client frame.
	bool readFrame(std::uint8_t& opcode, std::string& payload, int timeoutMs);
		/// The next server frame; false on timeout or end of stream.
	static int closeCode(const std::string& payload);

private:
	bool readSome(std::string& out, std::chrono::steady_clock::time_point deadline);
		/// One recv() within the deadline, appended to out; false on timeout or end.

	int _fd = -1;
	End _end = End::Open;
	std::string _buffered;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_RAWCLIENT_H
