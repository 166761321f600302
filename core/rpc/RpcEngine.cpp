#include "rpc/RpcEngine.h"
#include "camsvc/sdk/Errors.h"
#include "rpc/Json.h"
#include "rpc/ParamValidator.h"
#include <Poco/JSON/Array.h>
#include <chrono>
#include <functional>

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace camsvc::core {

namespace {

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }

bool validId(const Var& id)
{
	return id.isEmpty() || id.isString() || (id.isNumeric() && id.type() != typeid(bool));
}

Object::Ptr reasonData(const std::string& reason)
{
	Object::Ptr data = new Object;
	data->set("reason", reason);
	return data;
}

std::string resultResponse(const Var& id, const Var& result)
{
	std::string out = "{\"jsonrpc\":\"2.0\",\"id\":";
	appendJson(out, id);
	out += ",\"result\":";
	appendJson(out, result);
	out += '}';
	return out;
}

std::string answerBatch(const Array& batch, const std::function<std::string(const Var&)>& answer)
	/// The batch's answers as one array; "" when none is due (all notifications).
{
	std::string out;
	for (std::size_t i = 0; i < batch.size(); ++i)
	{
		std::string response = answer(batch.get(static_cast<unsigned>(i)));
		if (response.empty())
			continue;
		out += out.empty() ? '[' : ',';
		out += response;
	}
	if (!out.empty())
		out += ']';
	return out;
}

} // namespace

std::uint64_t RpcEngine::elapsedMicros(std::chrono::steady_clock::time_point started) const
{
	if (!_timing)
		return 0;
	return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
}

RpcEngine::RpcEngine(const MethodRegistry& methods, const AuthGateway& auth, CoreMetrics& metrics, Poco::Logger& logger):
	_methods(methods), _auth(auth), _metrics(metrics), _logger(logger)
{
}

std::string RpcEngine::errorResponse(const Var& id, int code, const std::string& message, Object::Ptr data)
{
	std::string out = "{\"jsonrpc\":\"2.0\",\"id\":";
	appendJson(out, id);
	out += ",\"error\":{\"code\":";
	out += std::to_string(code);
	out += ",\"message\":";
	appendJson(out, message);
	if (data)
	{
		out += ",\"data\":";
		appendJson(out, data);
	}
	out += "}}";
	return out;
}

RpcEngine::Message RpcEngine::parse(const std::string& text) const
{
	Message message;
	message.nonBlocking = true; // unless a call in it may block
	if (!integersInRange(text))
	{
		// Poco would wrap 2^64 to 0: such a number is refused, never misread.
		message.problem = "integer_out_of_range";
		return message;
	}
	try
	{
		message.json = parseJson(text);
		message.parsed = true;
	}
	catch (...)
	{
		return message; // the answer is a parse error
	}
	auto classify = [this, &message](const Var& request) {
		if (!isObject(request))
			return;
		Var method = request.extract<Object::Ptr>()->get("method");
		if (!method.isString())
			return;
		auto m = _methods.find(method.extract<std::string>());
		if (!m)
			return;
		// A request's own auth_token may be refused, and a refusal is
		// delayed (AuthGateway::attempt): never on an I/O thread.
		Var params = request.extract<Object::Ptr>()->get("params");
		bool ownToken = isObject(params) && params.extract<Object::Ptr>()->has("auth_token");
		message.nonBlocking = message.nonBlocking && m->spec.nonBlocking && !ownToken;
		message.barrier = message.barrier || static_cast<bool>(m->sessionHandler);
	};
	if (isArray(message.json))
	{
		auto batch = message.json.extract<Array::Ptr>();
		if (batch->size() > _limits.maxBatch)
		{
			message.problem = "batch_too_large";
			return message;
		}
		for (std::size_t i = 0; i < batch->size(); ++i)
			classify(batch->get(static_cast<unsigned>(i)));
		if (batch->size() > _limits.inlineBatch)
			message.nonBlocking = false;
	}
	else
	{
		classify(message.json);
	}
	return message;
}

std::string RpcEngine::refuse(const Message& message, int code, const std::string& text, const std::string& reason) const
{
	auto one = [&](const Var& request) -> std::string {
		if (!isObject(request))
			return errorResponse(Var(), code, text, reasonData(reason));
		const auto& object = *request.extract<Object::Ptr>();
		if (!object.has("id"))
			return {};
		Var id = object.get("id");
		return errorResponse(validId(id) ? id : Var(), code, text, reasonData(reason));
	};
	if (!message.parsed || !isArray(message.json))
		return message.parsed ? one(message.json) : errorResponse(Var(), code, text, reasonData(reason));
	return answerBatch(*message.json.extract<Array::Ptr>(), one);
}

std::string RpcEngine::execute(const Message& message, Session& session) const
{
	if (!message.problem.empty())
	{
		_metrics.requestErrors.inc();
		_metrics.invalidMessages.inc();
		return errorResponse(Var(), sdk::ErrorCode::InvalidRequest, "Invalid Request", reasonData(message.problem));
	}
	if (!message.parsed)
	{
		_metrics.requestErrors.inc();
		return errorResponse(Var(), sdk::ErrorCode::ParseError, "Parse error", reasonData("malformed_json"));
	}
	if (!isArray(message.json))
		return executeOne(message.json, session);

	auto batch = message.json.extract<Array::Ptr>();
	if (batch->size() == 0)
		return errorResponse(Var(), sdk::ErrorCode::InvalidRequest, "Invalid Request", reasonData("empty_batch"));
	return answerBatch(*batch, [&](const Var& request) { return executeOne(request, session); });
}

std::string RpcEngine::executeOne(const Var& request, Session& session) const
{
	auto started = _timing ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
	_metrics.requestsTotal.inc();
	auto invalid = [this](const Var& id, const std::string& reason) {
		_metrics.requestErrors.inc();
		_metrics.invalidMessages.inc();
		return errorResponse(id, sdk::ErrorCode::InvalidRequest, "Invalid Request", reasonData(reason));
	};
	if (!isObject(request))
		return invalid(Var(), "not_an_object");
	const auto& object = *request.extract<Object::Ptr>();
	bool isNotification = !object.has("id");
	Var id = object.get("id");
	if (!validId(id))
		return invalid(Var(), "invalid_id");
	Var version = object.get("jsonrpc");
	if (!version.isString() || version.extract<std::string>() != "2.0")
		return invalid(id, "invalid_jsonrpc_version");
	Var methodName = object.get("method");
	if (!methodName.isString())
		return invalid(id, "invalid_method");
	Var params = object.get("params");
	if (!params.isEmpty() && !isObject(params) && !isArray(params))
		return invalid(id, "invalid_params");
	if (object.has("params") && params.isEmpty())
		return invalid(id, "invalid_params");

	std::string response;
	const std::string& name = methodName.extract<std::string>();
	auto method = _methods.find(name);
	if (!method)
	{
		Object::Ptr data = reasonData("method_not_found");
		data->set("method", name);
		response = errorResponse(id, sdk::ErrorCode::MethodNotFound, "Method not found", data);
		_metrics.requestErrors.inc();
		_metrics.unknownMethodCalls.inc();
	}
	else
	{
		bool failed = true;
		try
		{
			Var result = call(*method, params, session);
			failed = false;
			if (!isNotification)
				response = resultResponse(id, result);
		}
		catch (const sdk::RpcError& e)
		{
			_metrics.requestErrors.inc();
			response = errorResponse(id, e.code(), e.message(), e.data());
		}
		catch (const std::exception& e)
		{
			_metrics.requestErrors.inc();
			_logger.error("method %s failed: %s", name, std::string(e.what()));
			response = errorResponse(id, sdk::ErrorCode::InternalError, "Internal error", reasonData("internal_error"));
		}
		catch (...)
		{
			_metrics.requestErrors.inc();
			_logger.error("method %s failed with an unknown exception", name);
			response = errorResponse(id, sdk::ErrorCode::InternalError, "Internal error", reasonData("internal_error"));
		}
		std::uint64_t micros = elapsedMicros(started);
		method->stats->record(micros, failed);
		_metrics.requestLatencyMicros.inc(micros);
		return isNotification ? std::string() : response;
	}
	_metrics.requestLatencyMicros.inc(elapsedMicros(started));
	return isNotification ? std::string() : response;
}

Var RpcEngine::call(const RegisteredMethod& method, const Var& rawParams, Session& session) const
{
	const sdk::MethodSpec& spec = method.spec;
	Object::Ptr params = namedParams(spec, rawParams);

	sdk::CallContext ctx;
	ctx.method = spec.name;
	ctx.sessionId = session.id();
	ctx.connectionId = session.connectionId();
	ctx.remoteAddress = session.clientAddress();

	bool declaresToken = false;
	for (const auto& p: spec.params)
		declaresToken = declaresToken || p.name == "auth_token";
	Var requestToken;
	if (!declaresToken && params->has("auth_token"))
	{
		requestToken = params->get("auth_token");
		params->remove("auth_token");
	}

	if (spec.minRole != sdk::Role::None)
	{
		// A request may carry its own token instead of a prior authenticate.
		if (!requestToken.isEmpty() && !requestToken.isString())
			throw sdk::RpcError::invalidParams("auth_token", "wrong_type", "auth_token must be a string");
		AuthRequest request;
		sdk::Identity signedIn;
		if (!requestToken.isEmpty())
			request.token = requestToken.extract<std::string>();
		else if (session.authenticated(signedIn))
			request.signedIn = &signedIn;
		else
		{
			std::string ended = session.endReason(); // signed out by the authenticator (a revoked key)
			request.unauthenticatedReason = ended.empty() ? "not_authenticated" : ended;
		}
		request.remoteAddress = ctx.remoteAddress;
		request.connectionId = session.connectionId();
		request.minRole = spec.minRole;
		AuthDecision decision = _auth.decide(request);
		if (decision.closeConnection)
			session.requestClose();
		if (decision.sessionExpired)
			session.unbind();
		if (decision.refusal)
			throw *decision.refusal;
		ctx.identity = decision.identity;
		ctx.authenticated = true;
		_auth.admitCall(ctx);
	}
	else
	{
		ctx.authenticated = session.authenticated(ctx.identity);
	}

	validateParams(spec, *params);
	if (method.sessionHandler)
		return method.sessionHandler(params, ctx, session);
	return method.handler(params, ctx);
}

} // namespace camsvc::core
