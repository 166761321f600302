//
// RpcEngine.h
//
// JSON-RPC 2.0, transport-independent: text in, text out. Parses, validates
// requests (single and batch), authorizes against the method's role, checks
// params, runs the handler and writes the response. Used by the WebSocket
// transport and by POST /rpc.
//

#ifndef CAMSVC_CORE_RPCENGINE_H
#define CAMSVC_CORE_RPCENGINE_H

#include "metrics/CoreMetrics.h"
#include "rpc/AuthGateway.h"
#include "rpc/MethodRegistry.h"
#include "rpc/Session.h"
#include <Poco/Dynamic/Var.h>
#include <Poco/Logger.h>
#include <chrono>
#include <string>

namespace camsvc::core {

class RpcEngine
{
public:
	struct Message
	{
		Poco::Dynamic::Var json;
		bool parsed = false;
		bool nonBlocking = false; // every call in it may run on an I/O thread
		bool barrier = false;     // it changes the session (authenticate): later calls wait for it
		std::string problem;      // set when the text is JSON the engine refuses before dispatch
	};

	struct Limits
	{
		std::size_t maxBatch = 1000;      // server.rpc.max_batch_size: larger batches are -32600
		std::size_t inlineBatch = 16;     // larger batches never run on an I/O thread
	};

	RpcEngine(const MethodRegistry& methods, const AuthGateway& auth, CoreMetrics& metrics, Poco::Logger& logger);

	void setTiming(bool enabled) { _timing = enabled; }
	void setLimits(const Limits& limits) { _limits = limits; }
		/// Per-call latency measurement (two clock reads per call); on by default.

	Message parse(const std::string& text) const;
		/// Parses the text; decides whether it may run inline. Thread-safe.
	std::string execute(const Message& message, Session& session) const;
		/// Runs it; returns the response text, or "" when none is due
		/// (notifications, all-notification batches). Thread-safe.
	std::string handle(const std::string& text, Session& session) const
	{
		return execute(parse(text), session);
	}

	std::string refuse(const Message& message, int code, const std::string& text, const std::string& reason) const;
		/// The error answer for every request in the message (an array for a
		/// batch; "" when it holds only notifications), without running any.

	static std::string errorResponse(const Poco::Dynamic::Var& id, int code, const std::string& message,
		Poco::JSON::Object::Ptr data = nullptr);

private:
	std::uint64_t elapsedMicros(std::chrono::steady_clock::time_point started) const;
	std::string executeOne(const Poco::Dynamic::Var& request, Session& session) const;
	Poco::Dynamic::Var call(const RegisteredMethod& method, const Poco::Dynamic::Var& params, Session& session) const;

	const MethodRegistry& _methods;
	const AuthGateway& _auth;
	CoreMetrics& _metrics;
	Poco::Logger& _logger;
	bool _timing = true;
	Limits _limits;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_RPCENGINE_H
