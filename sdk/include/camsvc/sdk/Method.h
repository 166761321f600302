//
// Method.h
//
// How a plugin describes a JSON-RPC method: name, minimum role, parameters
// (described once: the same description drives -32602 validation in the core
// and the OpenRPC document of rpc.discover), and the handler.
//
// One style everywhere, the name a literal so one grep finds it:
//
//     host.registerMethod({.name = "take_snapshot", .minRole = Role::Operator,
//         .summary = "Takes a JPEG snapshot", .params = {deviceParam(), ...}}, handler);
//
// ABI: MethodSpec and ParamSpec never cross the boundary as structs: the
// inline Host::registerMethod() turns them into a record (record() below)
// that the host reads by member name, so members can be added in a minor
// version without breaking plugins built before (sdk/README.md "ABI rules").
//

#ifndef CAMSVC_SDK_METHOD_H
#define CAMSVC_SDK_METHOD_H

#include "camsvc/sdk/Identity.h"
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <functional>
#include <string>
#include <vector>

namespace camsvc {
namespace sdk {

enum class ParamType { String, Integer, Number, Boolean, Object, Array, Any };

struct ParamSpec
	/// One named parameter. The core checks presence, type and bounds before
	/// the handler runs and answers -32602 with data.param on a mismatch, so a
	/// handler can read its params without re-checking them.
{
	std::string name;
	ParamType type = ParamType::String;
	bool required = false;
	std::string description;
	double minimum = -1e300;     // Integer/Number: inclusive bounds
	double maximum = 1e300;
	std::size_t maxLength = 0;   // String: 0 = unlimited (UTF-8 bytes)
	std::vector<std::string> oneOf; // String: allowed values, empty = any

	ParamSpec() = default;
	ParamSpec(std::string n, ParamType t, bool req, std::string desc = ""):
		name(std::move(n)), type(t), required(req), description(std::move(desc))
	{
	}
	ParamSpec& range(double lo, double hi) { minimum = lo; maximum = hi; return *this; }
	ParamSpec& maxLen(std::size_t n) { maxLength = n; return *this; }
	ParamSpec& values(std::vector<std::string> v) { oneOf = std::move(v); return *this; }

	Poco::JSON::Object::Ptr record() const
		/// Inline, compiled into the plugin: the spec as the record the host reads.
	{
		Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
		r->set("name", name);
		r->set("type", static_cast<int>(type));
		r->set("required", required);
		r->set("description", description);
		r->set("minimum", minimum);
		r->set("maximum", maximum);
		r->set("maxLength", static_cast<Poco::UInt64>(maxLength));
		Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
		for (const auto& v: oneOf)
			values->add(v);
		r->set("oneOf", values);
		return r;
	}
};

struct MethodSpec
{
	std::string name;
	Role minRole = Role::Viewer;   // Role::None: callable without authentication
	std::string summary;           // one line, shown by rpc.discover
	std::vector<ParamSpec> params;
	std::string resultSummary;     // one line describing the result
	bool allowExtraParams = false; // false: an unknown param is -32602
	bool nonBlocking = false;
		/// true: the handler never blocks and finishes in microseconds, so the
		/// core may run it on the connection's I/O thread (ping). Leave false
		/// for anything that touches disk, devices, the network or a lock held
		/// for long: such handlers run on the worker pool.

	Poco::JSON::Object::Ptr record() const
		/// Inline, compiled into the plugin: the spec as the record the host reads.
	{
		Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
		r->set("name", name);
		r->set("minRole", static_cast<int>(minRole));
		r->set("summary", summary);
		Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
		for (const auto& p: params)
			list->add(p.record());
		r->set("params", list);
		r->set("resultSummary", resultSummary);
		r->set("allowExtraParams", allowExtraParams);
		r->set("nonBlocking", nonBlocking);
		return r;
	}
};

struct CallContext
	/// What the core knows about the call. Valid for the duration of the call.
{
	std::string method;
	std::string sessionId;      // UUID of the connection's session
	std::uint64_t connectionId = 0;
	std::string remoteAddress;  // "ip:port"
	bool authenticated = false;
	Identity identity;          // meaningful when authenticated
};

using MethodHandler = std::function<Poco::Dynamic::Var(const Poco::JSON::Object::Ptr& params, const CallContext& ctx)>;
	/// Returns the result (any JSON value: Object::Ptr, Array::Ptr, string,
	/// number, bool, empty Var for null) or throws RpcError. params is never
	/// null (an empty object when the request had none) and has passed the
	/// MethodSpec's validation; auth_token is removed before the call.
	/// Threading: may run on several threads at once, also for one connection.

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_METHOD_H
