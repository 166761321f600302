#include "net/AddressSet.h"
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace camsvc::core {

namespace {

Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address)
	/// ::ffff:10.0.0.1 (an IPv4 client on a dual-stack socket) compares as 10.0.0.1.
{
	if (address.family() == Poco::Net::AddressFamily::IPv6 && address.isIPv4Mapped())
		return Poco::Net::IPAddress(address.toString().substr(7));
	return address;
}

} // namespace

AddressSet::AddressSet(const std::vector<std::string>& networks)
{
	for (const auto& entry: networks)
	{
		std::string text = Poco::trim(entry);
		if (text.empty())
			continue;
		auto slash = text.find('/');
		Poco::Net::IPAddress address;
		if (!Poco::Net::IPAddress::tryParse(text.substr(0, slash), address))
			throw Poco::InvalidArgumentException("not an IP address or network: " + text);
		unsigned maxPrefix = address.family() == Poco::Net::AddressFamily::IPv4 ? 32 : 128;
		unsigned prefix = maxPrefix;
		if (slash != std::string::npos && (!Poco::NumberParser::tryParseUnsigned(text.substr(slash + 1), prefix) || prefix > maxPrefix))
			throw Poco::InvalidArgumentException("not an IP address or network: " + text);
		_networks.push_back({address, prefix});
	}
}

bool AddressSet::contains(const std::string& address) const
{
	Poco::Net::IPAddress parsed;
	return Poco::Net::IPAddress::tryParse(address, parsed) && contains(parsed);
}

bool AddressSet::contains(const Poco::Net::IPAddress& candidate) const
{
	Poco::Net::IPAddress address = unmapped(candidate);
	for (const auto& network: _networks)
	{
		if (network.address.family() != address.family())
			continue;
		Poco::Net::IPAddress mask(network.prefix, address.family());
		if ((address & mask) == (network.address & mask))
			return true;
	}
	return false;
}

} // namespace camsvc::core
