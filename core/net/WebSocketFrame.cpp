#include "net/WebSocketFrame.h"
#include <cstring>

namespace camsvc::core {

FrameStatus parseFrameHeader(const char* data, std::size_t size, std::uint64_t maxPayload, FrameHeader& header)
{
	if (size < 2)
		return FrameStatus::NeedMore;
	auto b0 = static_cast<std::uint8_t>(data[0]);
	auto b1 = static_cast<std::uint8_t>(data[1]);
	header.fin = (b0 & 0x80) != 0;
	header.opcode = b0 & 0x0F;
	header.masked = (b1 & 0x80) != 0;
	if ((b0 & 0x70) != 0 || !header.masked)
		return FrameStatus::ProtocolError; // no extensions negotiated; clients must mask
	bool control = (header.opcode & 0x08) != 0;
	if ((header.opcode > Opcode::Binary && !control) || header.opcode > Opcode::Pong)
		return FrameStatus::ProtocolError;

	std::uint64_t length = b1 & 0x7F;
	std::size_t pos = 2;
	if (length == 126)
	{
		if (size < 4) return FrameStatus::NeedMore;
		length = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(data[2])) << 8) | static_cast<std::uint8_t>(data[3]);
		pos = 4;
	}
	else if (length == 127)
	{
		if (size < 10) return FrameStatus::NeedMore;
		length = 0;
		for (int i = 0; i < 8; ++i)
			length = (length << 8) | static_cast<std::uint8_t>(data[2 + i]);
		if (length >> 63)
			return FrameStatus::ProtocolError;
		pos = 10;
	}
	if (control && (!header.fin || length > 125))
		return FrameStatus::ProtocolError;
	if (length > maxPayload)
		return FrameStatus::TooBig;
	if (size < pos + 4)
		return FrameStatus::NeedMore;
	std::memcpy(header.mask, data + pos, 4);
	header.payloadLength = length;
	header.headerLength = pos + 4;
	return FrameStatus::Ok;
}

void unmask(char* data, std::size_t size, const std::uint8_t mask[4])
{
	std::uint32_t m32;
	std::memcpy(&m32, mask, 4);
	std::size_t i = 0;
	for (; i + 4 <= size; i += 4)
	{
		std::uint32_t word;
		std::memcpy(&word, data + i, 4);
		word ^= m32;
		std::memcpy(data + i, &word, 4);
	}
	for (; i < size; ++i)
		data[i] = static_cast<char>(data[i] ^ mask[i & 3]);
}

std::string encodeFrame(std::uint8_t opcode, std::string_view payload)
{
	std::string frame;
	std::size_t n = payload.size();
	frame.reserve(n + 10);
	frame += static_cast<char>(0x80 | opcode);
	if (n < 126)
	{
		frame += static_cast<char>(n);
	}
	else if (n <= 0xFFFF)
	{
		frame += static_cast<char>(126);
		frame += static_cast<char>((n >> 8) & 0xFF);
		frame += static_cast<char>(n & 0xFF);
	}
	else
	{
		frame += static_cast<char>(127);
		for (int shift = 56; shift >= 0; shift -= 8)
			frame += static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF);
	}
	frame.append(payload.data(), n);
	return frame;
}

std::string encodeClose(std::uint16_t code, std::string_view reason)
{
	std::string payload;
	payload += static_cast<char>(code >> 8);
	payload += static_cast<char>(code & 0xFF);
	payload.append(reason.substr(0, 123));
	return encodeFrame(Opcode::Close, payload);
}

} // namespace camsvc::core
