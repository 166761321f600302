#include "Browser.h"
#include "support/ServerProcess.h"
#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

using Poco::JSON::Object;

namespace camsvc::test {

namespace {

using Clock = std::chrono::steady_clock;

int remaining(Clock::time_point deadline)
{
	return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
}

std::string text(const Object::Ptr& o)
{
	std::ostringstream out;
	o->stringify(out);
	return out.str();
}

} // namespace

std::string jsString(const std::string& value)
{
	Poco::JSON::Array a;
	a.add(value);
	std::ostringstream out;
	a.stringify(out);
	std::string s = out.str();
	return s.substr(1, s.size() - 2);
}

std::string Browser::executable()
{
	if (const char* configured = std::getenv("CAMSVC_CHROMIUM"); configured && *configured)
		return configured;
	for (const char* candidate: {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
		if (::access(candidate, X_OK) == 0)
			return candidate;
	return {};
}

Browser::Browser(): _profile(makeTempDir("console-chromium"))
{
	std::string binary = executable();
	if (binary.empty())
		throw std::runtime_error("Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
	_process = std::make_unique<ChildProcess>(std::vector<std::string>{binary,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--mute-audio", "--password-store=basic",
		"--user-data-dir=" + _profile, "--remote-debugging-port=0", "about:blank"},
		_profile + "/chromium.log");

	// Chromium writes the port it chose (and the browser's path) into the profile.
	auto deadline = Clock::now() + std::chrono::seconds(30);
	int port = 0;
	while (!port)
	{
		std::ifstream file(_profile + "/DevToolsActivePort");
		if (!(file >> port))
		{
			port = 0;
			if (!_process->running() || Clock::now() > deadline)
				throw std::runtime_error("Chromium did not start: " + log());
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
	}
	_session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
	std::string path;
	while (path.empty())
	{
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/json/list", Poco::Net::HTTPMessage::HTTP_1_1);
		_session->sendRequest(request);
		Poco::Net::HTTPResponse response;
		std::string body;
		Poco::StreamCopier::copyToString(_session->receiveResponse(response), body);
		auto targets = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>();
		for (std::size_t i = 0; i < targets->size() && path.empty(); ++i)
		{
			auto t = targets->getObject(static_cast<unsigned>(i));
			if (t->getValue<std::string>("type") == "page")
				path = Poco::URI(t->getValue<std::string>("webSocketDebuggerUrl")).getPathEtc();
		}
		if (path.empty())
		{
			if (Clock::now() > deadline)
				throw std::runtime_error("Chromium has no page: " + body);
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
	}
	Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
	Poco::Net::HTTPResponse upgraded;
	_socket = std::make_unique<Poco::Net::WebSocket>(*_session, upgrade, upgraded);
	_socket->setMaxPayloadSize(256 * 1024 * 1024);
	call("Runtime.enable");
	call("Log.enable");
	call("Page.enable");
}

Browser::~Browser()
{
	try
	{
		if (_socket)
			call("Browser.close", nullptr, 3000);
	}
	catch (...)
	{
	}
	_socket.reset();
	if (_process)
		_process->stop(15, 5000);
	_process.reset();
	removeTree(_profile);
}

std::string Browser::log() const
{
	std::ifstream file(_profile + "/chromium.log");
	std::stringstream s;
	s << file.rdbuf();
	return s.str();
}

Object::Ptr Browser::read(int timeoutMs)
{
	if (timeoutMs <= 0 || !_socket->poll(Poco::Timespan(static_cast<long>(timeoutMs) * 1000), Poco::Net::Socket::SELECT_READ))
		return nullptr;
	Poco::Buffer<char> buffer(0);
	int flags = 0;
	do
	{
		if (_socket->receiveFrame(buffer, flags) == 0 && (flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) == Poco::Net::WebSocket::FRAME_OP_CLOSE)
			throw std::runtime_error("Chromium closed the DevTools connection");
	} while (!(flags & Poco::Net::WebSocket::FRAME_FLAG_FIN));
	auto message = Poco::JSON::Parser().parse(std::string(buffer.begin(), buffer.size())).extract<Object::Ptr>();
	if (message->has("method"))
		event(message);
	return message;
}

void Browser::event(const Object::Ptr& message)
{
	const std::string method = message->getValue<std::string>("method");
	auto params = message->getObject("params");
	if (method == "Page.loadEventFired")
		_loaded = true;
	else if (method == "Runtime.exceptionThrown")
	{
		auto details = params->getObject("exceptionDetails");
		auto exception = details->getObject("exception");
		_errors.push_back("exception: " + (exception && exception->has("description")
			? exception->getValue<std::string>("description") : details->getValue<std::string>("text")));
	}
	else if (method == "Runtime.consoleAPICalled" && params->getValue<std::string>("type") == "error")
		_errors.push_back("console.error: " + text(params));
	else if (method == "Log.entryAdded")
	{
		auto entry = params->getObject("entry");
		if (entry->getValue<std::string>("level") == "error")
			_errors.push_back("log: " + entry->getValue<std::string>("text") + (entry->has("url") ? " (" + entry->getValue<std::string>("url") + ")" : ""));
	}
}

Object::Ptr Browser::call(const std::string& method, Object::Ptr params, int timeoutMs)
{
	const int id = _nextId++;
	Object request;
	request.set("id", id);
	request.set("method", method);
	request.set("params", params ? params : Object::Ptr(new Object));
	std::ostringstream out;
	request.stringify(out);
	_socket->sendFrame(out.str().data(), static_cast<int>(out.str().size()));
	auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
	for (;;)
	{
		auto message = read(remaining(deadline));
		if (!message)
			throw std::runtime_error("DevTools " + method + ": no answer in " + std::to_string(timeoutMs) + " ms");
		if (!message->has("id") || message->getValue<int>("id") != id)
			continue;
		if (message->has("error"))
			throw std::runtime_error("DevTools " + method + ": " + text(message->getObject("error")));
		return message->getObject("result");
	}
}

Poco::Dynamic::Var Browser::evaluate(const std::string& expression, int timeoutMs)
{
	Object::Ptr params = new Object;
	params->set("expression", expression);
	params->set("awaitPromise", true);
	params->set("returnByValue", true);
	auto result = call("Runtime.evaluate", params, timeoutMs + 5000);
	if (result->has("exceptionDetails"))
	{
		auto details = result->getObject("exceptionDetails");
		auto exception = details->getObject("exception");
		throw std::runtime_error("in the page: " + (exception && exception->has("description")
			? exception->getValue<std::string>("description") : details->getValue<std::string>("text")) + "\n  evaluating: " + expression);
	}
	auto value = result->getObject("result");
	return value->has("value") ? value->get("value") : Poco::Dynamic::Var();
}

Poco::Dynamic::Var Browser::waitFor(const std::string& condition, int timeoutMs)
{
	std::string script = "new Promise((resolve) => { const end = performance.now() + " + std::to_string(timeoutMs)
		+ "; const poll = () => { let v; try { v = (" + condition + "); } catch (e) { v = undefined; }"
		" if (v) resolve({ok: true, value: v}); else if (performance.now() > end) resolve({ok: false});"
		" else setTimeout(poll, 50); }; poll(); })";
	auto r = evaluate(script, timeoutMs).extract<Object::Ptr>();
	if (!r->getValue<bool>("ok"))
		throw std::runtime_error("timed out after " + std::to_string(timeoutMs) + " ms waiting for: " + condition);
	return r->get("value");
}

void Browser::open(const std::string& url)
{
	_loaded = false;
	Object::Ptr params = new Object;
	params->set("url", url);
	call("Page.navigate", params);
	auto deadline = Clock::now() + std::chrono::seconds(15);
	while (!_loaded)
		if (!read(remaining(deadline)))
			throw std::runtime_error("the page did not load: " + url);
}

void Browser::click(const std::string& selector)
{
	auto point = waitFor("(() => { const e = document.querySelector(" + jsString(selector) + "); if (!e || !e.getClientRects().length) return null;"
		" e.scrollIntoView({block: 'center', inline: 'center'}); const r = e.getBoundingClientRect();"
		" return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()").extract<Object::Ptr>();
	for (const char* type: {"mouseMoved", "mousePressed", "mouseReleased"})
	{
		Object::Ptr params = new Object;
		params->set("type", type);
		params->set("x", point->getValue<double>("x"));
		params->set("y", point->getValue<double>("y"));
		params->set("button", std::string(type) == "mouseMoved" ? "none" : "left");
		params->set("clickCount", std::string(type) == "mouseMoved" ? 0 : 1);
		call("Input.dispatchMouseEvent", params);
	}
}

void Browser::type(const std::string& selector, const std::string& value)
{
	waitFor("(() => { const e = document.querySelector(" + jsString(selector) + "); if (!e) return false; e.focus(); return document.activeElement === e; })()");
	Object::Ptr params = new Object;
	params->set("text", value);
	call("Input.insertText", params);
}

void Browser::pressEnter()
{
	for (const char* type: {"keyDown", "keyUp"})
	{
		Object::Ptr params = new Object;
		params->set("type", type);
		params->set("key", "Enter");
		params->set("code", "Enter");
		params->set("windowsVirtualKeyCode", 13);
		if (std::string(type) == "keyDown")
			params->set("text", "\r");
		call("Input.dispatchKeyEvent", params);
	}
}

void Browser::setViewport(int width, int height, bool mobile)
{
	Object::Ptr params = new Object;
	params->set("width", width);
	params->set("height", height);
	params->set("deviceScaleFactor", 1);
	params->set("mobile", mobile);
	call("Emulation.setDeviceMetricsOverride", params);
}

std::string Browser::screenshot()
{
	Object::Ptr params = new Object;
	params->set("format", "png");
	auto result = call("Page.captureScreenshot", params, 30000);
	std::istringstream encoded(result->getValue<std::string>("data"));
	Poco::Base64Decoder decoder(encoded);
	std::string png;
	Poco::StreamCopier::copyToString(decoder, png);
	return png;
}

void Browser::pause(int ms)
{
	auto deadline = Clock::now() + std::chrono::milliseconds(ms);
	while (remaining(deadline) > 0)
		read(remaining(deadline));
}

} // namespace camsvc::test
