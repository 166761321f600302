//
// ClientAddress.h
//
// Who a request comes from when it passed through reverse proxies: the
// X-Forwarded-For / Forwarded (RFC 7239) headers, believed only when the
// peer is one of server.trusted_proxies. Pure and transport-independent:
// takes the peer address and the request headers, nothing else.
//

#ifndef CAMSVC_CORE_CLIENTADDRESS_H
#define CAMSVC_CORE_CLIENTADDRESS_H

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NameValueCollection.h>
#include <string>
#include <vector>

namespace camsvc {
namespace core {

class TrustedProxies
	/// A list of addresses and CIDR networks ("127.0.0.1, 10.0.0.0/8, fd00::/8").
{
public:
	TrustedProxies() = default;

	static TrustedProxies parse(const std::string& list);
		/// Comma- or space-separated entries. Throws Poco::InvalidArgumentException
		/// naming the entry that is not an address or a network.

	bool contains(const Poco::Net::IPAddress& address) const;
		/// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 entries.
	bool empty() const { return _networks.empty(); }

private:
	struct Network
	{
		Poco::Net::IPAddress address;
		unsigned prefix;
	};
	std::vector<Network> _networks;
};

std::string clientAddress(const std::string& peerAddress, const Poco::Net::NameValueCollection& headers,
	const TrustedProxies& trusted);
	/// peerAddress ("1.2.3.4:5678", "[::1]:5678") when the peer is not a
	/// trusted proxy or sent no forwarding header. Otherwise the forwarding
	/// chain (Forwarded's for= if present, else X-Forwarded-For; every header
	/// line, in order) is walked from the nearest hop outwards, skipping
	/// trusted proxies: the first address that is not one is the client (an
	/// address without port). A hop that is not an address (unknown,
	/// obfuscated, garbage) ends the walk at the trusted proxy that reported it.

} } // namespace camsvc::core

#endif // CAMSVC_CORE_CLIENTADDRESS_H
