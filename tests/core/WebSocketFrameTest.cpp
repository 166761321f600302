//
// WebSocketFrameTest.cpp
//
// RFC 6455 framing: client frames parsed incrementally, server frames written.
//

#include "net/WebSocketFrame.h"
#include <gtest/gtest.h>

using namespace camsvc::core;

namespace {

std::string clientFrame(std::uint8_t opcode, const std::string& payload, bool fin = true, bool masked = true)
{
	std::string f;
	f += static_cast<char>((fin ? 0x80 : 0) | opcode);
	std::size_t n = payload.size();
	std::uint8_t maskBit = masked ? 0x80 : 0;
	if (n < 126)
		f += static_cast<char>(maskBit | n);
	else if (n <= 0xFFFF)
	{
		f += static_cast<char>(maskBit | 126);
		f += static_cast<char>(n >> 8);
		f += static_cast<char>(n & 0xFF);
	}
	else
	{
		f += static_cast<char>(maskBit | 127);
		for (int s = 56; s >= 0; s -= 8)
			f += static_cast<char>((static_cast<std::uint64_t>(n) >> s) & 0xFF);
	}
	const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
	if (masked)
		f.append(reinterpret_cast<const char*>(mask), 4);
	for (std::size_t i = 0; i < n; ++i)
		f += masked ? static_cast<char>(payload[i] ^ mask[i & 3]) : payload[i];
	return f;
}

TEST(WebSocketFrame, ParsesMaskedTextFramesOfEveryLengthEncoding)
{
	for (std::size_t n: {0u, 5u, 125u, 126u, 65535u, 65536u, 200000u})
	{
		std::string payload(n, 'x');
		for (std::size_t i = 0; i < n; ++i)
			payload[i] = static_cast<char>('a' + i % 26);
		std::string frame = clientFrame(Opcode::Text, payload);
		FrameHeader h;
		ASSERT_EQ(parseFrameHeader(frame.data(), frame.size(), 1 << 20, h), FrameStatus::Ok) << n;
		EXPECT_EQ(h.payloadLength, n);
		EXPECT_TRUE(h.fin);
		std::string body = frame.substr(h.headerLength);
		unmask(body.data(), body.size(), h.mask);
		EXPECT_EQ(body, payload);
	}
}

TEST(WebSocketFrame, AsksForMoreUntilTheHeaderIsComplete)
{
	std::string frame = clientFrame(Opcode::Text, std::string(70000, 'a'));
	FrameHeader h;
	for (std::size_t i = 0; i < 14; ++i)
		EXPECT_EQ(parseFrameHeader(frame.data(), i, 1 << 20, h), FrameStatus::NeedMore) << i;
	EXPECT_EQ(parseFrameHeader(frame.data(), 14, 1 << 20, h), FrameStatus::Ok);
}

TEST(WebSocketFrame, RejectsUnmaskedReservedAndBadControlFrames)
{
	FrameHeader h;
	std::string unmasked = clientFrame(Opcode::Text, "hi", true, false);
	EXPECT_EQ(parseFrameHeader(unmasked.data(), unmasked.size(), 1024, h), FrameStatus::ProtocolError);
	std::string rsv = clientFrame(Opcode::Text, "hi");
	rsv[0] = static_cast<char>(rsv[0] | 0x40);
	EXPECT_EQ(parseFrameHeader(rsv.data(), rsv.size(), 1024, h), FrameStatus::ProtocolError);
	std::string reservedOpcode = clientFrame(0x3, "hi");
	EXPECT_EQ(parseFrameHeader(reservedOpcode.data(), reservedOpcode.size(), 1024, h), FrameStatus::ProtocolError);
	std::string fragmentedPing = clientFrame(Opcode::Ping, "hi", false);
	EXPECT_EQ(parseFrameHeader(fragmentedPing.data(), fragmentedPing.size(), 1024, h), FrameStatus::ProtocolError);
	std::string bigPing = clientFrame(Opcode::Ping, std::string(126, 'p'));
	EXPECT_EQ(parseFrameHeader(bigPing.data(), bigPing.size(), 1024, h), FrameStatus::ProtocolError);
}

TEST(WebSocketFrame, ReportsOversizedMessagesBeforeReadingThem)
{
	std::string frame = clientFrame(Opcode::Text, std::string(2000, 'a'));
	FrameHeader h;
	EXPECT_EQ(parseFrameHeader(frame.data(), 8, 1024, h), FrameStatus::TooBig);
}

TEST(WebSocketFrame, WritesUnmaskedServerFrames)
{
	EXPECT_EQ(encodeFrame(Opcode::Text, "pong"), std::string("\x81\x04pong", 6));
	std::string big = encodeFrame(Opcode::Text, std::string(300, 'a'));
	EXPECT_EQ(static_cast<std::uint8_t>(big[1]), 126);
	EXPECT_EQ(big.size(), 304u);
	std::string huge = encodeFrame(Opcode::Text, std::string(70000, 'a'));
	EXPECT_EQ(static_cast<std::uint8_t>(huge[1]), 127);
	EXPECT_EQ(huge.size(), 70010u);
	EXPECT_EQ(encodeClose(1001, "bye"), std::string("\x88\x05\x03\xe9" "bye", 7));
}

} // namespace
