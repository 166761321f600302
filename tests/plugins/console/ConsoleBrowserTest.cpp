//
// ConsoleBrowserTest.cpp
//
// The console in a real headless Chromium against the real server (test
// authenticator, cameras, storage, snapshots, recording, console; one
// test-pattern camera): an operator signs in, the camera's live view shows
// moving pictures, a snapshot appears as a thumbnail, a 3 s recording
// appears and plays in the page's player; the token survives a reload of
// the tab; a viewer gets no controls; an admin deletes; a recording started
// elsewhere shows on the card; MediaMTX's pages are linked where it is
// configured (a MediaMTX API double); and no page logs an error.
// CAMSVC_SCREENSHOT_DIR=<dir> also saves the screenshots of docs/console.md.
//

#include "Browser.h"
#include "MediaMtxDouble.h"
#include "support/RpcClient.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Object.h>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>

using namespace camsvc::test;

namespace {

const char* SourceUrl = "testsrc://?size=320x240&rate=15";
const char* Device = "camera0"; // a declared source's device is its camera name
const std::string Card = std::string("[data-testid=camera-card][data-device=\"") + Device + "\"]";

// A small grey-scale copy of what a <video> shows now.
const char* SampleScript = R"JS(
window.consoleTestSample = (selector) => {
	const video = document.querySelector(selector);
	const canvas = document.createElement('canvas');
	canvas.width = 80; canvas.height = 60;
	const g = canvas.getContext('2d');
	g.drawImage(video, 0, 0, canvas.width, canvas.height);
	const rgba = g.getImageData(0, 0, canvas.width, canvas.height).data;
	const grey = [];
	for (let i = 0; i < rgba.length; i += 4) grey.push((rgba[i] + rgba[i + 1] + rgba[i + 2]) / 3);
	return grey;
};
window.consoleTestDifference = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
true
)JS";

class ConsoleBrowser: public ::testing::Test
{
protected:
	static void SetUpTestSuite()
	{
		_mediaMtx = new MediaMtxDouble();
		ServerProcess::Options o;
		o.plugins = {"test_auth", "metrics", "storage", "cameras", "snapshots", "recording", "mediamtx", "console"};
		o.defines = {
			{"cameras.v4l2.enabled", "false"},
			{"cameras.sources.a.url", SourceUrl},
			{"cameras.sources.a.index", "0"},
			{"mediamtx.api.url", _mediaMtx->url()},
			{"mediamtx.public_host", "media.example"},
		};
		_server = new ServerProcess(o);
		_browser = new Browser();
		_browser->setViewport(1280, 900);
	}

	static void TearDownTestSuite()
	{
		delete _browser;
		_browser = nullptr;
		delete _server;
		_server = nullptr;
		delete _mediaMtx;
		_mediaMtx = nullptr;
	}

	void SetUp() override { _errorsBefore = browser().errors().size(); }

	void TearDown() override
	{
		auto errors = browser().errors();
		for (std::size_t i = _errorsBefore; i < errors.size(); ++i)
			ADD_FAILURE() << "the page logged an error: " << errors[i];
	}

	static Browser& browser() { return *_browser; }
	static std::string url() { return "http://127.0.0.1:" + std::to_string(_server->port()) + "/"; }

	static void signedOut()
		/// The login form, after signing out if the tab still had a token.
	{
		browser().open(url());
		std::string state = browser().waitFor("!document.querySelector('#app').hidden ? 'app'"
			" : (!sessionStorage.getItem('camsvc.token') && 'login')").toString();
		if (state == "app")
			browser().click("#logout");
		browser().waitFor("!document.querySelector('#login').hidden && !sessionStorage.getItem('camsvc.token')");
	}

	static void signIn(const std::string& role)
	{
		signedOut();
		browser().type("[data-testid=login-token]", testToken(role, "console-" + role));
		browser().click("[data-testid=login-submit]");
		browser().waitFor("document.querySelector(" + jsString(Card) + ") !== null");
	}

	static void saveScreenshot(const std::string& name)
	{
		const char* dir = std::getenv("CAMSVC_SCREENSHOT_DIR");
		if (!dir || !*dir)
			return;
		std::string png = browser().screenshot();
		std::ofstream(std::string(dir) + "/" + name, std::ios::binary).write(png.data(), static_cast<std::streamsize>(png.size()));
	}

	std::size_t _errorsBefore = 0;
	static MediaMtxDouble* _mediaMtx;
	static ServerProcess* _server;
	static Browser* _browser;
};

MediaMtxDouble* ConsoleBrowser::_mediaMtx = nullptr;
ServerProcess* ConsoleBrowser::_server = nullptr;
Browser* ConsoleBrowser::_browser = nullptr;

} // namespace

TEST_F(ConsoleBrowser, AnOperatorSignsInAndTheLiveViewMoves)
{
	signIn("operator");
	EXPECT_EQ(browser().evaluate("document.querySelector('#role').textContent").toString(), "operator");
	const std::string live = Card + " [data-testid=live-view]";
	// Playing: frames decoded and time advancing.
	browser().waitFor("(() => { const v = document.querySelector(" + jsString(live) + "); return v.readyState >= 2 && v.currentTime > 0.2; })()", 20000);
	browser().evaluate(SampleScript);
	browser().evaluate("window.consoleTestFirst = consoleTestSample(" + jsString(live) + "), true");
	double brightness = browser().evaluate("consoleTestFirst.reduce((a, b) => a + b, 0) / consoleTestFirst.length").convert<double>();
	EXPECT_GT(brightness, 20.0) << "the live view is black";
	browser().pause(2000);
	double change = browser().evaluate("consoleTestDifference(consoleTestFirst, consoleTestSample(" + jsString(live) + "))").convert<double>();
	EXPECT_GT(change, 1.0) << "the live view's pixels did not change in 2 s";
	double behind = browser().evaluate("(() => { const v = document.querySelector(" + jsString(live) + "); const b = v.buffered; return b.length ? b.end(b.length - 1) - v.currentTime : 99; })()").convert<double>();
	EXPECT_LT(behind, 1.5) << "the live view lags its buffer";
	EXPECT_EQ(browser().evaluate("document.querySelector(" + jsString(Card + " .status") + ").textContent").toString(), "CONNECTED");
	// MediaMTX is configured and answers: its WebRTC and HLS pages are offered too.
	EXPECT_EQ(browser().waitFor("document.querySelector(" + jsString(Card + " .streams a") + ")?.href").toString(),
		"http://media.example:8889/camera0/webrtc");
	EXPECT_EQ(browser().evaluate("[...document.querySelectorAll(" + jsString(Card + " .streams a") + ")].map((a) => a.textContent).join()").toString(),
		"WebRTC,HLS");
}

TEST_F(ConsoleBrowser, ASnapshotAppearsAsAThumbnail)
{
	signIn("operator");
	browser().click(Card + " [data-testid=snapshot-button]");
	int width = browser().waitFor("(() => { const i = document.querySelector('[data-testid=snapshot-item] img');"
		" return i && i.complete && i.naturalWidth; })()").convert<int>();
	EXPECT_EQ(width, 320);
}

TEST_F(ConsoleBrowser, AThreeSecondRecordingAppearsAndPlays)
{
	signIn("operator");
	const std::string record = Card + " [data-testid=record-button]";
	browser().click(record);
	browser().waitFor("document.querySelector(" + jsString(record) + ").getAttribute('aria-pressed') === 'true'");
	EXPECT_EQ(browser().evaluate("document.querySelector(" + jsString(record) + ").textContent").toString(), "Stop");
	browser().pause(3000);
	EXPECT_NE(browser().evaluate("document.querySelector(" + jsString(Card + " .timer") + ").textContent").toString().find("00:0"), std::string::npos)
		<< "the running timer";
	saveScreenshot("console-recording.png");
	browser().click(record);
	browser().waitFor("document.querySelector(" + jsString(record) + ").getAttribute('aria-pressed') === 'false'");
	browser().waitFor("document.querySelector('[data-testid=recording-item]') !== null");
	browser().click("[data-testid=recording-item]");
	double played = browser().waitFor("(() => { const v = document.querySelector('video[data-testid=player]');"
		" return v.currentTime > 0.5 && v.currentTime; })()", 15000).convert<double>();
	EXPECT_GT(played, 0.5);
	saveScreenshot("console-player.png");
	browser().evaluate("window.scrollTo(0, 0), true");
	browser().pause(200);
	saveScreenshot("console-desktop.png");
}

TEST_F(ConsoleBrowser, TheTokenStaysForTheTabOnly)
{
	signIn("operator");
	EXPECT_NE(browser().evaluate("sessionStorage.getItem('camsvc.token') || ''").toString(), "");
	EXPECT_EQ(browser().evaluate("localStorage.length").convert<int>(), 0) << "nothing outlives the tab";
	browser().open(url());
	browser().waitFor("document.querySelector(" + jsString(Card) + ") !== null");
	EXPECT_TRUE(browser().evaluate("document.querySelector('#login').hidden").convert<bool>()) << "signed in again from sessionStorage";
	browser().click("#logout");
	browser().waitFor("!document.querySelector('#login').hidden");
	EXPECT_EQ(browser().evaluate("sessionStorage.getItem('camsvc.token')").isEmpty(), true);
}

TEST_F(ConsoleBrowser, AViewerSeesTheCameraButNoControls)
{
	signIn("viewer");
	const std::string live = Card + " [data-testid=live-view]";
	browser().waitFor("document.querySelector(" + jsString(live) + ").readyState >= 2", 20000);
	EXPECT_EQ(browser().evaluate("document.querySelectorAll('[data-testid=snapshot-button], [data-testid=record-button]').length").convert<int>(), 0);
	browser().waitFor("document.querySelector('[data-testid=snapshot-item]') !== null");
	EXPECT_EQ(browser().evaluate("document.querySelectorAll('#app button.danger').length").convert<int>(), 0) << "delete is for admins";
	EXPECT_EQ(browser().evaluate("document.querySelector('#role').textContent").toString(), "viewer");
	saveScreenshot("console-viewer.png");
}

TEST_F(ConsoleBrowser, AnAdminSeesTheSystemPanelAndCanDelete)
{
	signIn("admin");
	browser().waitFor("document.querySelector('[data-section=get_storage_info]') && document.querySelector('[data-section=get_status]')");
	browser().waitFor("document.querySelector('[data-testid=snapshot-item] button.danger') !== null");
	browser().setViewport(390, 844, true);
	browser().pause(300);
	saveScreenshot("console-phone.png");
	browser().setViewport(1280, 900);

	// Paging: 12 a page, Older shows the rest.
	RpcClient admin(_server->port());
	admin.authenticateAs("admin");
	while (admin.result("list_snapshots").extract<Poco::JSON::Object::Ptr>()->getValue<int>("total") < 13)
		admin.result("take_snapshot", RpcClient::params({{"device", "camera0"}}), 15000);
	browser().waitFor("document.querySelector('.pager[data-kind=snapshot] span').textContent.startsWith('1–12 of ')");
	EXPECT_EQ(browser().evaluate("document.querySelectorAll('[data-testid=snapshot-item]').length").convert<int>(), 12);
	browser().click(".pager[data-kind=snapshot] button:last-child");
	browser().waitFor("document.querySelector('.pager[data-kind=snapshot] span').textContent.startsWith('13–')");
	browser().click(".pager[data-kind=snapshot] button:first-child");
	browser().waitFor("document.querySelector('.pager[data-kind=snapshot] span').textContent.startsWith('1–12 of ')");

	// Delete takes a second press; then the file is gone from the list and the store.
	auto before = admin.result("list_snapshots").extract<Poco::JSON::Object::Ptr>()->getValue<int>("total");
	std::string name = browser().evaluate("document.querySelector('[data-testid=snapshot-item]').dataset.filename").toString();
	const std::string button = "[data-testid=snapshot-item][data-filename=" + jsString(name) + "] button.danger";
	browser().click(button);
	EXPECT_EQ(browser().evaluate("document.querySelector(" + jsString(button) + ").textContent").toString(), "Confirm delete");
	browser().click(button);
	browser().waitFor("!document.querySelector(" + jsString("[data-testid=snapshot-item][data-filename=" + jsString(name) + "]") + ")");
	EXPECT_EQ(admin.result("list_snapshots").extract<Poco::JSON::Object::Ptr>()->getValue<int>("total"), before - 1);
}

TEST_F(ConsoleBrowser, ARecordingStartedElsewhereShowsLiveOnTheCard)
{
	signIn("operator");
	const std::string record = Card + " [data-testid=record-button]";
	browser().waitFor("document.querySelector(" + jsString(record) + ").getAttribute('aria-pressed') === 'false'");
	RpcClient other(_server->port());
	other.authenticateAs("operator");
	other.result("start_recording", RpcClient::params({{"device", "camera0"}}));
	browser().waitFor("document.querySelector(" + jsString(record) + ").getAttribute('aria-pressed') === 'true'");
	browser().waitFor("document.querySelector(" + jsString(Card + " .timer") + ").textContent.includes('00:01')", 5000);
	other.result("stop_recording", RpcClient::params({{"device", "camera0"}}));
	browser().waitFor("document.querySelector(" + jsString(record) + ").getAttribute('aria-pressed') === 'false'");
	EXPECT_EQ(browser().evaluate("document.querySelector(" + jsString(Card + " .timer") + ").textContent").toString(), "");
}

TEST_F(ConsoleBrowser, AWrongTokenIsRefusedWithAMessage)
{
	signedOut();
	browser().type("[data-testid=login-token]", "not-a-token");
	browser().pressEnter(); // the keyboard is enough
	std::string message = browser().waitFor("document.querySelector('#login-error').textContent").toString();
	EXPECT_NE(message.find("refused"), std::string::npos) << message;
	saveScreenshot("console-login.png");
	EXPECT_TRUE(browser().evaluate("document.querySelector('#app').hidden").convert<bool>());
}
