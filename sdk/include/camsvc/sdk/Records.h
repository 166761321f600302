//
// Records.h
//
// How records (plain structs of data) cross between the host and plugins
// without tying anyone to their layout (sdk/README.md "ABI rules"):
//
// - a record is owned by the side that allocated it; only the owner
//   constructs, copies or destroys it;
// - the owner hands it out as std::shared_ptr<const T>; the receiver reads
//   the members it knows and never copies it back (it passes the same
//   pointer back where a function takes one), so members appended in a later
//   minor version break nothing;
// - what a plugin hands the host (method specs, routes, keys, identities) is
//   turned into a JSON record by inline SDK code and read by member name.
//

#ifndef CAMSVC_SDK_RECORDS_H
#define CAMSVC_SDK_RECORDS_H

#include <memory>
#include <ranges>
#include <vector>

namespace camsvc {
namespace sdk {

template <class T>
using Record = std::shared_ptr<const T>;
	/// A record its owner (the host, or a service's provider) allocated.

template <class T>
using Records = std::vector<Record<T>>;
	/// A list of records its owner allocated.

template <class T>
auto each(Records<T> records)
	/// The records as references: for (const CameraInfo& c: each(cameras->cameras())).
	/// The view owns the list, so a temporary one lives as long as the loop.
{
	return std::views::transform(std::views::all(std::move(records)), [](const Record<T>& r) -> const T& { return *r; });
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_RECORDS_H
