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

#include "net/AddressSet.h"
#include <Poco/Net/NameValueCollection.h>
#include <string>

namespace camsvc::core {

using TrustedProxies = AddressSet;

TrustedProxies parseTrustedProxies(const std::string& list);
	/// server.trusted_proxies: addresses and CIDR networks separated by commas
	/// or spaces ("127.0.0.1, 10.0.0.0/8 fd00::/8"). Throws
	/// Poco::InvalidArgumentException naming the key and the bad entry.

std::string clientAddress(const std::string& peerAddress, const Poco::Net::NameValueCollection& headers,
	const TrustedProxies& trusted);
	/// peerAddress ("1.2.3.4:5678", "[::1]:5678") when the peer is not a
	/// trusted proxy or sent no forwarding header. Otherwise the forwarding
	/// chain (Forwarded's for= if present, else X-Forwarded-For; every header
	/// line, in order) is walked from the nearest hop outwards, skipping
	/// trusted proxies: the first address that is not one is the client (an
	/// address without port). A hop that is not an address (unknown,
	/// obfuscated, garbage) ends the walk at the trusted proxy that reported it.

} // namespace camsvc::core

#endif // CAMSVC_CORE_CLIENTADDRESS_H
