//
// ClientAddressTest.cpp
//
// X-Forwarded-For / Forwarded are believed only from server.trusted_proxies.
//

#include "http/ClientAddress.h"
#include <Poco/Exception.h>
#include <gtest/gtest.h>

using namespace camsvc::core;
using Poco::Net::IPAddress;
using Poco::Net::NameValueCollection;

namespace {

NameValueCollection headers(std::initializer_list<std::pair<std::string, std::string>> list)
{
	NameValueCollection h;
	for (const auto& [k, v]: list)
		h.add(k, v);
	return h;
}

} // namespace

TEST(TrustedProxies, ParsesAddressesAndNetworks)
{
	auto t = parseTrustedProxies("127.0.0.1, 10.0.0.0/8 fd00::/8");
	EXPECT_TRUE(t.contains(IPAddress("127.0.0.1")));
	EXPECT_FALSE(t.contains(IPAddress("127.0.0.2")));
	EXPECT_TRUE(t.contains(IPAddress("10.200.3.4")));
	EXPECT_FALSE(t.contains(IPAddress("11.0.0.1")));
	EXPECT_TRUE(t.contains(IPAddress("fd12::1")));
	EXPECT_TRUE(t.contains(IPAddress("::ffff:10.1.2.3"))); // a dual-stack socket's view of an IPv4 peer
	EXPECT_TRUE(parseTrustedProxies("").empty());
	EXPECT_THROW(parseTrustedProxies("10.0.0.0/33"), Poco::InvalidArgumentException);
	EXPECT_THROW(parseTrustedProxies("proxy.local"), Poco::InvalidArgumentException);
}

TEST(ClientAddress, HeadersFromAnUntrustedPeerAreIgnored)
{
	auto trusted = parseTrustedProxies("10.0.0.1");
	auto h = headers({{"X-Forwarded-For", "1.2.3.4"}});
	EXPECT_EQ(clientAddress("192.168.1.5:4000", h, trusted), "192.168.1.5:4000");
	EXPECT_EQ(clientAddress("192.168.1.5:4000", h, TrustedProxies()), "192.168.1.5:4000");
	EXPECT_EQ(clientAddress("10.0.0.1:4000", NameValueCollection(), trusted), "10.0.0.1:4000"); // no header
}

TEST(ClientAddress, TheNearestUntrustedHopIsTheClient)
{
	auto trusted = parseTrustedProxies("10.0.0.0/8");
	// A client may send its own X-Forwarded-For: only what trusted proxies appended counts.
	EXPECT_EQ(clientAddress("10.0.0.1:4000", headers({{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.0.0.7"}}), trusted), "1.2.3.4");
	EXPECT_EQ(clientAddress("10.0.0.1:4000", headers({{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-For", "1.2.3.4:999"}}), trusted),
		"1.2.3.4"); // several header lines, in order; a port dropped
	EXPECT_EQ(clientAddress("10.0.0.1:4000", headers({{"X-Forwarded-For", "10.0.0.9"}}), trusted), "10.0.0.9"); // all trusted
	EXPECT_EQ(clientAddress("10.0.0.1:4000", headers({{"X-Forwarded-For", "garbage, 10.0.0.9"}}), trusted), "10.0.0.9");
	EXPECT_EQ(clientAddress("[::ffff:10.0.0.1]:4000", headers({{"X-Forwarded-For", "2001:db8::5"}}), trusted), "2001:db8::5");
}

TEST(ClientAddress, Rfc7239ForwardedWinsOverXForwardedFor)
{
	auto trusted = parseTrustedProxies("127.0.0.1");
	auto h = headers({{"Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\""},
		{"X-Forwarded-For", "9.9.9.9"}});
	EXPECT_EQ(clientAddress("127.0.0.1:5000", h, trusted), "2001:db8:cafe::17");
	EXPECT_EQ(clientAddress("127.0.0.1:5000", headers({{"Forwarded", "for=unknown"}}), trusted), "127.0.0.1"); // obfuscated: the proxy
	EXPECT_EQ(clientAddress("127.0.0.1:5000", headers({{"Forwarded", "For=198.51.100.17:80"}}), trusted), "198.51.100.17");
}
