//
// ConfigKeyTable.h
//
// The core's sdk::ConfigSchema: every configuration key the core and the
// enabled plugins declared, read from the records plugins write (by member
// name; an absent member takes its default, so an older plugin's records
// still read). Core-only checks that one type and range cannot say (an
// octal umask, a CIDR list) are attached here too.
//

#ifndef CAMSVC_CORE_CONFIGKEYTABLE_H
#define CAMSVC_CORE_CONFIGKEYTABLE_H

#include "camsvc/sdk/Config.h"
#include <Poco/JSON/Array.h>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace camsvc::core {

struct DeclaredKey: sdk::ConfigKey
	/// One declared key and who declared it ("core" or a plugin name).
{
	std::string owner;
};

class ConfigKeyTable: public sdk::ConfigSchema
{
public:
	using Check = std::function<std::string(const std::string& value)>;
		/// Returns what was expected ("an octal mode such as 027") or "" when the value is fine.

	void setOwner(const std::string& owner) { _owner = owner; }
		/// Who the following declarations belong to.
	void declareRecord(const Poco::JSON::Object::Ptr& record) override;
	void addCheck(const std::string& name, Check check);
		/// An extra check of a declared key's value (of every key under it for a family()).

	const std::vector<DeclaredKey>& keys() const { return _keys; }
		/// In declaration order.
	const DeclaredKey* find(const std::string& name) const;
	const DeclaredKey* familyOf(const std::string& name) const;
		/// The family() key whose prefix name starts with, or null.
	bool underKnownPrefix(const std::string& name) const;
		/// name's first segment ("auth" of "auth.rate_limit.brust") is one some declaration uses.
	std::string nearest(const std::string& name) const;
		/// The declared key closest to name by edit distance ("" when none is declared).
	std::string checkValue(const DeclaredKey& key, const std::string& value) const;
		/// What the key expects when value does not fit its declaration, else "".
	Poco::JSON::Array::Ptr toJson() const;
		/// Every declaration as its record plus "owner": --print-declarations.

private:
	std::string _owner = "core";
	std::vector<DeclaredKey> _keys;
	std::map<std::string, std::size_t> _byName;
	std::map<std::string, std::vector<Check>> _checks;
};

std::size_t editDistance(const std::string& a, const std::string& b);
	/// Levenshtein distance.

} // namespace camsvc::core

#endif // CAMSVC_CORE_CONFIGKEYTABLE_H
