//
// ClientAddress.cpp
//

#include "http/ClientAddress.h"
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <optional>

using Poco::Net::IPAddress;

namespace camsvc::core {

namespace {

std::optional<IPAddress> parseAddress(std::string text)
	/// "1.2.3.4", "1.2.3.4:80", "[::1]", "[::1]:80", "::1", quoted or not.
{
	text = Poco::trim(text);
	if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
		text = text.substr(1, text.size() - 2);
	if (!text.empty() && text.front() == '[')
	{
		auto close = text.find(']');
		if (close == std::string::npos)
			return std::nullopt;
		text = text.substr(1, close - 1);
	}
	else if (text.find(':') != std::string::npos && text.find(':') == text.rfind(':'))
	{
		text = text.substr(0, text.find(':')); // IPv4 with a port
	}
	IPAddress address;
	if (!IPAddress::tryParse(text, address))
		return std::nullopt;
	return address;
}

std::vector<std::string> forwardingChain(const Poco::Net::NameValueCollection& headers)
	/// Hops as sent, farthest first.
{
	std::vector<std::string> hops;
	const bool rfc7239 = headers.has("Forwarded");
	for (auto it = headers.find(rfc7239 ? "Forwarded" : "X-Forwarded-For"); it != headers.end(); ++it)
	{
		if (Poco::icompare(it->first, rfc7239 ? "Forwarded" : "X-Forwarded-For") != 0)
			break;
		Poco::StringTokenizer elements(it->second, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		for (const auto& element: elements)
		{
			if (!rfc7239)
			{
				hops.push_back(element);
				continue;
			}
			std::string forValue = "unknown"; // an element without for= names no address
			Poco::StringTokenizer pairs(element, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
			for (const auto& pair: pairs)
				if (pair.size() > 4 && Poco::icompare(pair.substr(0, 4), "for=") == 0)
					forValue = pair.substr(4);
			hops.push_back(forValue);
		}
	}
	return hops;
}

} // namespace

TrustedProxies parseTrustedProxies(const std::string& list)
{
	std::string normalized = list;
	for (char& c: normalized)
		if (c == ',')
			c = ' ';
	Poco::StringTokenizer entries(normalized, " \t", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	try
	{
		return AddressSet(std::vector<std::string>(entries.begin(), entries.end()));
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Poco::InvalidArgumentException("server.trusted_proxies: " + e.message());
	}
}

std::string clientAddress(const std::string& peerAddress, const Poco::Net::NameValueCollection& headers,
	const TrustedProxies& trusted)
{
	if (trusted.empty())
		return peerAddress;
	auto peer = parseAddress(peerAddress);
	if (!peer || !trusted.contains(*peer))
		return peerAddress;
	std::vector<std::string> hops = forwardingChain(headers);
	if (hops.empty())
		return peerAddress;
	IPAddress reporter = *peer;
	for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop)
	{
		auto address = parseAddress(*hop);
		if (!address)
			return reporter.toString();
		reporter = *address;
		if (!trusted.contains(reporter))
			return reporter.toString();
	}
	return reporter.toString(); // every hop is a trusted proxy: the farthest one
}

} // namespace camsvc::core
