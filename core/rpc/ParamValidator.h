//
// ParamValidator.h
//
// Checks a call's params against the method's ParamSpecs, so handlers get
// params of the declared types and every mismatch is one clear -32602.
//

#ifndef CAMSVC_CORE_PARAMVALIDATOR_H
#define CAMSVC_CORE_PARAMVALIDATOR_H

#include "camsvc/sdk/Method.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace camsvc::core {

const char* paramTypeName(sdk::ParamType type);

Poco::JSON::Object::Ptr namedParams(const sdk::MethodSpec& spec, const Poco::Dynamic::Var& params);
	/// The params as an object: absent -> empty object, an object as it is,
	/// an array mapped by position onto spec.params. Throws RpcError(-32602).

void validateParams(const sdk::MethodSpec& spec, const Poco::JSON::Object& params);
	/// Throws RpcError(-32602) with data {reason, param} on the first problem:
	/// missing_param, wrong_type, out_of_range, too_long, not_allowed, unknown_param.
	/// A null value counts as absent.

} // namespace camsvc::core

#endif // CAMSVC_CORE_PARAMVALIDATOR_H
