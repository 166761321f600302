//
// Browser.h
//
// A real headless Chromium for the console's tests, driven over the DevTools
// protocol (a WebSocket, JSON): launched with a fresh profile and no
// network services of its own, one page, trusted mouse clicks and typing
// (so a click is a user gesture, as in a real session), JavaScript
// evaluated in the page (promises awaited), and every console error and
// uncaught exception collected.
//

#ifndef CAMSVC_TEST_CONSOLE_BROWSER_H
#define CAMSVC_TEST_CONSOLE_BROWSER_H

#include "support/ChildProcess.h"
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>
#include <memory>
#include <string>
#include <vector>

namespace camsvc::test {

class Browser
{
public:
	Browser();
		/// Starts $CAMSVC_CHROMIUM or chromium; throws std::runtime_error if
		/// it is missing or does not come up.
	~Browser();

	Browser(const Browser&) = delete;
	Browser& operator=(const Browser&) = delete;

	static std::string executable();
		/// The Chromium binary, or "" when none is installed.

	Poco::JSON::Object::Ptr call(const std::string& method, Poco::JSON::Object::Ptr params = nullptr, int timeoutMs = 15000);
		/// One DevTools command; its result. Throws std::runtime_error on an error.
	Poco::Dynamic::Var evaluate(const std::string& expression, int timeoutMs = 15000);
		/// The expression's value (a promise is awaited); throws with the
		/// page's exception text.
	Poco::Dynamic::Var waitFor(const std::string& condition, int timeoutMs = 15000);
		/// Polls the expression in the page every 50 ms until it is truthy;
		/// its value. Throws with the condition on timeout.

	void open(const std::string& url);
		/// Navigates and waits for the load event.
	void click(const std::string& selector);
		/// Scrolls the element into view and clicks its centre with the mouse.
	void type(const std::string& selector, const std::string& text);
		/// Focuses the element and types text.
	void pressEnter();
		/// The Enter key, on whatever has the focus.
	void setViewport(int width, int height, bool mobile = false);
	std::string screenshot();
		/// PNG bytes of the viewport.
	void pause(int ms);
		/// Lets the page run for ms (its events are still read).

	std::vector<std::string> errors() const { return _errors; }
		/// Console errors and uncaught exceptions since start, one line each.
	std::string log() const;
		/// Chromium's own output.

private:
	Poco::JSON::Object::Ptr read(int timeoutMs);
	void event(const Poco::JSON::Object::Ptr& message);

	std::string _profile;
	std::unique_ptr<ChildProcess> _process;
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
	std::unique_ptr<Poco::Net::WebSocket> _socket;
	int _nextId = 1;
	std::vector<std::string> _errors;
	bool _loaded = false;
};

std::string jsString(const std::string& text);
	/// text as a JavaScript string literal.

} // namespace camsvc::test

#endif // CAMSVC_TEST_CONSOLE_BROWSER_H
