//
// Errors.h
//
// JSON-RPC error codes of the service (api-contract.md, "Decisions") and the
// SDK error type a handler throws to answer with one of them.
//

#ifndef CAMSVC_SDK_ERRORS_H
#define CAMSVC_SDK_ERRORS_H

#include <Poco/JSON/Object.h>
#include <stdexcept>
#include <string>

namespace camsvc {
namespace sdk {

namespace ErrorCode {
	// JSON-RPC 2.0 standard codes.
	constexpr int ParseError     = -32700;
	constexpr int InvalidRequest = -32600;
	constexpr int MethodNotFound = -32601;
	constexpr int InvalidParams  = -32602;
	constexpr int InternalError  = -32603;
	// Service codes (seed reference).
	constexpr int AuthenticationFailed = -32001; // also: token expired
	constexpr int RateLimitExceeded    = -32002;
	constexpr int PermissionDenied     = -32003;
	constexpr int CameraNotFound       = -32004; // or disconnected
	constexpr int RecordingInProgress  = -32005;
	constexpr int MediaMtxUnavailable  = -32006;
	constexpr int InsufficientStorage  = -32007;
	constexpr int NotSupported         = -32008;
	constexpr int NotFound             = -32010; // a file, a stream: anything but a camera
	constexpr int CameraRecording      = -1006;
	constexpr int StorageLow           = -1008;  // < 10 % free
	constexpr int StorageCritical      = -1010;  // < 5 % free
}

class RpcError: public std::runtime_error
	/// The error a method handler throws to answer with a JSON-RPC error.
	/// The core sends code, message and data as given; every error should carry
	/// data.reason (machine-readable). Anything else a handler throws becomes
	/// -32603 and is logged. Copyable; safe to throw across plugin boundaries.
{
public:
	RpcError(int code, const std::string& message, Poco::JSON::Object::Ptr data = nullptr):
		std::runtime_error(message), _code(code), _data(data)
	{
	}

	RpcError(int code, const std::string& message, const std::string& reason):
		std::runtime_error(message), _code(code), _data(new Poco::JSON::Object)
	{
		_data->set("reason", reason);
	}

	int code() const { return _code; }
	std::string message() const { return what(); }
	Poco::JSON::Object::Ptr data() const { return _data; }
		/// May be null.

	static RpcError invalidParams(const std::string& param, const std::string& reason, const std::string& message = "Invalid params")
		/// -32602 with data {reason, param}.
	{
		Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
		data->set("reason", reason);
		data->set("param", param);
		return RpcError(ErrorCode::InvalidParams, message, data);
	}

private:
	int _code;
	Poco::JSON::Object::Ptr _data;
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_ERRORS_H
