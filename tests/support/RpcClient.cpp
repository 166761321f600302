#include "support/RpcClient.h"
#include <Poco/Buffer.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace camsvc::test {

std::string testToken(const std::string& role, const std::string& user, int ttlSeconds)
{
	return "test:" + role + ":" + user + ":" + std::to_string(std::time(nullptr) + ttlSeconds);
}

Poco::JSON::Object::Ptr parseObject(const std::string& json)
{
	Poco::JSON::Parser parser;
	return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

RpcClient::RpcClient(int port, const std::string& path, const std::map<std::string, std::string>& headers)
{
	_session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
	for (const auto& [name, value]: headers)
		request.set(name, value);
	Poco::Net::HTTPResponse response;
	_ws = std::make_unique<Poco::Net::WebSocket>(*_session, request, response);
	_ws->setMaxPayloadSize(64 * 1024 * 1024);
}

RpcClient::~RpcClient()
{
	try
	{
		_ws->shutdown();
	}
	catch (...)
	{
	}
}

Poco::JSON::Object::Ptr RpcClient::params(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> values)
{
	Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
	for (const auto& [k, v]: values)
		p->set(k, v);
	return p;
}

Poco::JSON::Object::Ptr RpcClient::subscribe(std::initializer_list<std::string> topics)
{
	Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
	for (const auto& t: topics)
		list->add(t);
	return result("subscribe_events", params({{"topics", list}})).extract<Poco::JSON::Object::Ptr>();
}

void RpcClient::sendText(const std::string& text)
{
	_ws->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

std::string RpcClient::receiveText(int timeoutMs)
{
	_ws->setReceiveTimeout(Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
	for (;;)
	{
		Poco::Buffer<char> buffer(0);
		int flags = 0;
		int n = _ws->receiveFrame(buffer, flags);
		int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
		if (n == 0 && flags == 0)
			throw std::runtime_error("connection closed");
		if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE)
			throw std::runtime_error("connection closed by server");
		if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT)
			return std::string(buffer.begin(), buffer.size());
	}
}

std::string RpcClient::receiveReply(int timeoutMs)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	for (;;)
	{
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
		std::string text = receiveText(static_cast<int>(std::max<long long>(left, 1)));
		Poco::JSON::Object::Ptr message;
		try
		{
			message = parseObject(text);
		}
		catch (const std::exception&)
		{
			return text;
		}
		if (!message || message->has("id") || !message->has("method"))
			return text;
		_notifications.push_back(message);
	}
}

Poco::JSON::Object::Ptr RpcClient::call(const std::string& method, Poco::JSON::Object::Ptr params, int timeoutMs)
{
	int id = _nextId++;
	Poco::JSON::Object request;
	request.set("jsonrpc", "2.0");
	request.set("method", method);
	if (params)
		request.set("params", params);
	request.set("id", id);
	std::ostringstream os;
	request.stringify(os);
	sendText(os.str());
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	for (;;)
	{
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
		if (left <= 0)
			throw std::runtime_error("no response to " + method);
		auto message = parseObject(receiveReply(static_cast<int>(left)));
		if (message->get("id").isInteger() && message->getValue<int>("id") == id)
			return message;
	}
}

Poco::Dynamic::Var RpcClient::result(const std::string& method, Poco::JSON::Object::Ptr params, int timeoutMs)
{
	auto response = call(method, params, timeoutMs);
	if (response->has("error"))
	{
		std::ostringstream os;
		response->stringify(os);
		throw std::runtime_error(method + " failed: " + os.str());
	}
	return response->get("result");
}

int RpcClient::errorCode(const std::string& method, Poco::JSON::Object::Ptr params, int timeoutMs)
{
	auto response = call(method, params, timeoutMs);
	if (!response->has("error"))
		return 0;
	return response->getObject("error")->getValue<int>("code");
}

void RpcClient::authenticate(const std::string& token)
{
	result("authenticate", params({{"auth_token", token}}));
}

Poco::JSON::Object::Ptr RpcClient::nextNotification(int timeoutMs)
{
	if (!_notifications.empty())
	{
		auto n = _notifications.front();
		_notifications.pop_front();
		return n;
	}
	try
	{
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
		for (;;)
		{
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
			if (left <= 0)
				return nullptr;
			auto message = parseObject(receiveText(static_cast<int>(left)));
			if (!message->has("id"))
				return message;
		}
	}
	catch (const Poco::TimeoutException&)
	{
		return nullptr;
	}
}

} // namespace camsvc::test
