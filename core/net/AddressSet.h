//
// AddressSet.h
//
// A list of IP networks ("127.0.0.0/8", "::1", "10.1.2.3") and whether an
// address falls in one of them.
//

#ifndef CAMSVC_CORE_ADDRESSSET_H
#define CAMSVC_CORE_ADDRESSSET_H

#include <Poco/Net/IPAddress.h>
#include <string>
#include <vector>

namespace camsvc::core {

class AddressSet
{
public:
	AddressSet() = default;
	explicit AddressSet(const std::vector<std::string>& networks);
		/// Throws Poco::InvalidArgumentException naming an entry that is not an address or network.

	bool contains(const std::string& address) const;
	bool contains(const Poco::Net::IPAddress& address) const;
	bool empty() const { return _networks.empty(); }

private:
	struct Network
	{
		Poco::Net::IPAddress address;
		unsigned prefix;
	};
	std::vector<Network> _networks;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_ADDRESSSET_H
