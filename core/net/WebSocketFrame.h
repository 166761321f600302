//
// WebSocketFrame.h
//
// RFC 6455 framing for the reactor: parsing client frames out of a byte
// buffer without blocking, and writing server frames.
//

#ifndef CAMSVC_CORE_WEBSOCKETFRAME_H
#define CAMSVC_CORE_WEBSOCKETFRAME_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace camsvc::core {

namespace Opcode {
	constexpr std::uint8_t Continuation = 0x0;
	constexpr std::uint8_t Text = 0x1;
	constexpr std::uint8_t Binary = 0x2;
	constexpr std::uint8_t Close = 0x8;
	constexpr std::uint8_t Ping = 0x9;
	constexpr std::uint8_t Pong = 0xA;
}

namespace CloseCode {
	constexpr std::uint16_t Normal = 1000;
	constexpr std::uint16_t GoingAway = 1001;
	constexpr std::uint16_t ProtocolError = 1002;
	constexpr std::uint16_t UnsupportedData = 1003;
	constexpr std::uint16_t InvalidPayload = 1007;
	constexpr std::uint16_t PolicyViolation = 1008;
	constexpr std::uint16_t MessageTooBig = 1009;
	constexpr std::uint16_t InternalError = 1011;
}

struct FrameHeader
{
	bool fin = false;
	std::uint8_t opcode = 0;
	bool masked = false;
	std::uint64_t payloadLength = 0;
	std::uint8_t mask[4] = {0, 0, 0, 0};
	std::size_t headerLength = 0;
};

enum class FrameStatus { NeedMore, Ok, ProtocolError, TooBig };

FrameStatus parseFrameHeader(const char* data, std::size_t size, std::uint64_t maxPayload, FrameHeader& header);
	/// Reads a client frame's header. ProtocolError: reserved bits or opcodes,
	/// an unmasked client frame, a fragmented or oversized control frame.

void unmask(char* data, std::size_t size, const std::uint8_t mask[4]);

std::string encodeFrame(std::uint8_t opcode, std::string_view payload);
	/// A complete, unmasked server frame (FIN set).
std::string encodeClose(std::uint16_t code, std::string_view reason = {});

} // namespace camsvc::core

#endif // CAMSVC_CORE_WEBSOCKETFRAME_H
