//
// FuzzWebSocketFrame.cpp
//
// libFuzzer target: client bytes through the RFC 6455 frame parser, consumed
// frame by frame as the connection does (headers, masks, 7/16/64-bit lengths,
// control frames, fragments, close payloads), checking what the parser
// promises: a frame it accepts is masked, fits the limit, a control frame is
// final and at most 125 bytes, the header length matches the length form.
// Each accepted frame's payload is also re-encoded as a server frame, masked
// the way a client would and parsed back: opcode, length and payload must
// survive the round trip.
//

#include "net/WebSocketFrame.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace camsvc::core;

namespace {

[[noreturn]] void bad(const char* what)
{
	::fprintf(stderr, "frame invariant broken: %s\n", what);
	std::abort();
}

void roundTrip(std::uint8_t opcode, const std::string& payload)
{
	std::string frame = encodeFrame(opcode, payload);
	// Server frames are unmasked: the client parser refuses them.
	FrameHeader unmasked;
	if (parseFrameHeader(frame.data(), frame.size(), UINT64_MAX, unmasked) != FrameStatus::ProtocolError)
		bad("unmasked frame accepted");
	// Mask it as a client would and parse it back.
	const std::uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
	std::size_t headerLength = frame.size() - payload.size();
	std::string masked = frame.substr(0, headerLength);
	masked[1] = static_cast<char>(masked[1] | 0x80);
	masked.append(reinterpret_cast<const char*>(key), 4);
	std::string body = payload;
	for (std::size_t i = 0; i < body.size(); ++i)
		body[i] = static_cast<char>(body[i] ^ key[i % 4]);
	masked += body;
	FrameHeader header;
	if (parseFrameHeader(masked.data(), masked.size(), UINT64_MAX, header) != FrameStatus::Ok)
		bad("re-encoded frame refused");
	if (header.opcode != opcode || !header.fin || header.payloadLength != payload.size()
		|| header.headerLength + header.payloadLength != masked.size())
		bad("re-encoded header differs");
	unmask(masked.data() + header.headerLength, header.payloadLength, header.mask);
	if (masked.compare(header.headerLength, std::string::npos, payload) != 0)
		bad("payload differs after the round trip");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	if (size < 1)
		return 0;
	// First byte: the message size limit, from tiny to the default 1 MiB.
	const std::uint64_t limits[] = {0, 1, 125, 126, 65535, 65536, 1 << 20};
	const std::uint64_t maxPayload = limits[data[0] % (sizeof limits / sizeof limits[0])];
	std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
	std::size_t pos = 0;
	bool fragmented = false;
	std::string message;
	while (pos < in.size())
	{
		FrameHeader header;
		FrameStatus status = parseFrameHeader(in.data() + pos, in.size() - pos, maxPayload, header);
		if (status != FrameStatus::Ok)
			break; // NeedMore, ProtocolError and TooBig all end the stream here
		if (!header.masked)
			bad("unmasked client frame accepted");
		if (header.payloadLength > maxPayload)
			bad("payload over the limit accepted");
		if (header.opcode >= 0x8 && (!header.fin || header.payloadLength > 125))
			bad("fragmented or oversized control frame accepted");
		if (header.headerLength != 6 && header.headerLength != 8 && header.headerLength != 14)
			bad("header length is not 2 + 0/2/8 + 4");
		if (header.headerLength > in.size() - pos)
			bad("header longer than the input");
		if (in.size() - pos - header.headerLength < header.payloadLength)
			break; // the rest has not arrived
		char* payload = in.data() + pos + header.headerLength;
		const auto length = static_cast<std::size_t>(header.payloadLength);
		unmask(payload, length, header.mask);
		pos += header.headerLength + length;
		const std::string body(payload, length);
		switch (header.opcode)
		{
		case Opcode::Text:
		case Opcode::Binary:
			if (fragmented)
				return 0;
			if (!header.fin)
			{
				fragmented = true;
				message = body;
			}
			break;
		case Opcode::Continuation:
			if (!fragmented)
				return 0;
			message += body;
			if (message.size() > maxPayload)
				return 0; // the connection closes with 1009
			if (header.fin)
				fragmented = false;
			break;
		case Opcode::Close:
			if (length >= 2)
			{
				const auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1]));
				std::string reply = encodeClose(code, body.substr(2));
				if (reply.size() != 2 + length)
					bad("close reply length");
			}
			roundTrip(header.opcode, body);
			return 0;
		default:
			break;
		}
		roundTrip(header.opcode, body);
	}
	return 0;
}
