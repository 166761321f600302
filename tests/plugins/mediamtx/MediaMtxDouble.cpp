#include "MediaMtxDouble.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <sstream>

namespace camsvc::test {

namespace {

// PathConf properties of MediaMTX v1.20.1 (shared/mediamtx/openapi.yaml,
// components.schemas.PathConf). MediaMtxDoubleTest checks this list against the file.
const std::set<std::string> PathConfFields = {"alwaysAvailable", "alwaysAvailableFile", "alwaysAvailableTracks",
	"disablePublisherOverride", "fallback", "forward", "maxReaders", "moqTransport", "mpegtsUDPReadBufferSize", "name",
	"overridePublisher", "playback", "publishIPs", "publishPass", "publishUser", "readIPs", "readPass", "readUser", "record",
	"recordDeleteAfter", "recordFormat", "recordMaxPartSize", "recordPartDuration", "recordPath", "recordSegmentDuration",
	"rpiCameraAWB", "rpiCameraAWBGains", "rpiCameraAfMode", "rpiCameraAfRange", "rpiCameraAfSpeed", "rpiCameraAfWindow",
	"rpiCameraBitrate", "rpiCameraBrightness", "rpiCameraCamID", "rpiCameraCodec", "rpiCameraContrast", "rpiCameraDenoise",
	"rpiCameraEV", "rpiCameraExposure", "rpiCameraFPS", "rpiCameraFlickerPeriod", "rpiCameraGain", "rpiCameraH264Level",
	"rpiCameraH264Profile", "rpiCameraHDR", "rpiCameraHFlip", "rpiCameraHardwareH264Level", "rpiCameraHardwareH264Profile",
	"rpiCameraHeight", "rpiCameraIDRPeriod", "rpiCameraJPEGQuality", "rpiCameraLensPosition", "rpiCameraLevel",
	"rpiCameraMJPEGQuality", "rpiCameraMetering", "rpiCameraMode", "rpiCameraProfile", "rpiCameraROI", "rpiCameraSaturation",
	"rpiCameraSecondary", "rpiCameraSharpness", "rpiCameraShutter", "rpiCameraSoftwareH264Level", "rpiCameraSoftwareH264Profile",
	"rpiCameraTextOverlay", "rpiCameraTextOverlayEnable", "rpiCameraTuningFile", "rpiCameraVFlip", "rpiCameraWidth", "rtpSDP",
	"rtpUDPReadBufferSize", "rtspAnyPort", "rtspDemuxMpegts", "rtspRangeStart", "rtspRangeType", "rtspScale", "rtspTransport",
	"rtspUDPReadBufferSize", "rtspUDPSourcePortRange", "runOnAvailable", "runOnAvailableRestart", "runOnDemand",
	"runOnDemandCloseAfter", "runOnDemandRestart", "runOnDemandStartTimeout", "runOnInit", "runOnInitRestart", "runOnNotReady",
	"runOnOffline", "runOnOnline", "runOnOnlineRestart", "runOnRead", "runOnReadRestart", "runOnReady", "runOnReadyRestart",
	"runOnRecordSegmentComplete", "runOnRecordSegmentCreate", "runOnUnDemand", "runOnUnavailable", "runOnUnread", "source",
	"sourceAnyPortEnable", "sourceFingerprint", "sourceOnDemand", "sourceOnDemandCloseAfter", "sourceOnDemandStartTimeout",
	"sourceProtocol", "sourceRedirect", "srtPublishPassphrase", "srtReadPassphrase", "useAbsoluteTimestamp", "whepBearerToken",
	"whepHandshakeTimeout", "whepSTUNGatherTimeout", "whepTrackGatherTimeout"};

struct Runtime
{
	bool online = false;
	std::uint64_t inboundBytes = 0;
	int readers = 0;
};

} // namespace

struct MediaMtxDouble::State
{
	std::mutex mutex;
	std::map<std::string, Poco::JSON::Object::Ptr> paths;
	std::map<std::string, Runtime> runtime;
	std::map<std::string, int> requests;
	std::string started = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
	std::string username;
	std::string password;
};

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void reply(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Poco::JSON::Object& body)
{
	std::ostringstream os;
	body.stringify(os);
	std::string text = os.str();
	response.setStatus(status);
	response.setContentType("application/json");
	response.setContentLength(static_cast<std::streamsize>(text.size()));
	response.send() << text;
}

void error(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& message)
{
	Poco::JSON::Object body;
	body.set("status", "error");
	body.set("error", message);
	reply(response, status, body);
}

void ok(HTTPServerResponse& response)
{
	Poco::JSON::Object body;
	body.set("status", "ok");
	reply(response, HTTPResponse::HTTP_OK, body);
}

Poco::JSON::Object::Ptr runtimePath(const std::string& name, const Poco::JSON::Object::Ptr&, const Runtime& rt)
{
	Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
	p->set("name", name);
	p->set("confName", name);
	if (rt.online)
	{
		Poco::JSON::Object::Ptr source = new Poco::JSON::Object;
		source->set("type", "rtspSession");
		source->set("id", "5f5d4c1e-0000-4000-8000-000000000001");
		p->set("source", source);
	}
	else
	{
		p->set("source", Poco::Dynamic::Var());
	}
	std::string now = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%SZ");
	p->set("available", rt.online);
	p->set("availableTime", rt.online ? Poco::Dynamic::Var(now) : Poco::Dynamic::Var());
	p->set("online", rt.online);
	p->set("onlineTime", rt.online ? Poco::Dynamic::Var(now) : Poco::Dynamic::Var());
	p->set("ready", rt.online); // deprecated, still sent
	p->set("readyTime", rt.online ? Poco::Dynamic::Var(now) : Poco::Dynamic::Var());
	Poco::JSON::Array::Ptr tracks2 = new Poco::JSON::Array;
	Poco::JSON::Array::Ptr tracks = new Poco::JSON::Array;
	if (rt.online)
	{
		Poco::JSON::Object::Ptr track = new Poco::JSON::Object;
		track->set("codec", "H264");
		track->set("codecProps", Poco::Dynamic::Var());
		tracks2->add(track);
		tracks->add("H264");
	}
	p->set("tracks2", tracks2);
	p->set("tracks", tracks);
	p->set("inboundBytes", rt.inboundBytes);
	p->set("bytesReceived", rt.inboundBytes);
	p->set("outboundBytes", rt.inboundBytes * static_cast<std::uint64_t>(rt.readers));
	p->set("bytesSent", rt.inboundBytes * static_cast<std::uint64_t>(rt.readers));
	p->set("inboundFramesInError", 0);
	Poco::JSON::Array::Ptr readers = new Poco::JSON::Array;
	for (int i = 0; i < rt.readers; ++i)
	{
		Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
		r->set("type", "rtspSession");
		r->set("id", "reader-" + std::to_string(i));
		readers->add(r);
	}
	p->set("readers", readers);
	return p;
}

class Handler: public Poco::Net::HTTPRequestHandler
{
public:
	explicit Handler(std::shared_ptr<MediaMtxDouble::State> state): _state(std::move(state)) {}

	void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
	{
		std::string body;
		Poco::StreamCopier::copyToString(request.stream(), body);
		std::lock_guard lock(_state->mutex);
		++_state->requests[request.getMethod()];
		if (!authorized(request))
			return error(response, HTTPResponse::HTTP_UNAUTHORIZED, "authentication error");
		Poco::URI uri(request.getURI());
		std::string path = uri.getPath();
		const std::string& method = request.getMethod();
		auto nameAfter = [&path](const std::string& prefix) { return path.substr(prefix.size()); };

		if (method == "GET" && path == "/v3/info")
		{
			Poco::JSON::Object info;
			info.set("version", "v1.20.1");
			info.set("started", _state->started);
			return reply(response, HTTPResponse::HTTP_OK, info);
		}
		if (method == "GET" && path == "/v3/config/paths/list")
			return listReply(response, [](const std::string&, const Poco::JSON::Object::Ptr& conf) { return conf; });
		if (method == "GET" && path.rfind("/v3/config/paths/get/", 0) == 0)
		{
			auto it = _state->paths.find(nameAfter("/v3/config/paths/get/"));
			if (it == _state->paths.end())
				return error(response, HTTPResponse::HTTP_NOT_FOUND, "path not found");
			return reply(response, HTTPResponse::HTTP_OK, *it->second);
		}
		bool add = method == "POST" && path.rfind("/v3/config/paths/add/", 0) == 0;
		bool patch = method == "PATCH" && path.rfind("/v3/config/paths/patch/", 0) == 0;
		bool replace = method == "POST" && path.rfind("/v3/config/paths/replace/", 0) == 0;
		if (add || patch || replace)
			return writeConf(response, add ? Write::Add : patch ? Write::Patch : Write::Replace,
				nameAfter(add ? "/v3/config/paths/add/" : patch ? "/v3/config/paths/patch/" : "/v3/config/paths/replace/"), body);
		if (method == "DELETE" && path.rfind("/v3/config/paths/delete/", 0) == 0)
		{
			if (_state->paths.erase(nameAfter("/v3/config/paths/delete/")) == 0)
				return error(response, HTTPResponse::HTTP_NOT_FOUND, "path not found");
			return ok(response);
		}
		if (method == "GET" && path == "/v3/paths/list")
			return listReply(response, [this](const std::string& name, const Poco::JSON::Object::Ptr& conf) {
				return runtimePath(name, conf, _state->runtime[name]);
			});
		if (method == "GET" && path.rfind("/v3/paths/get/", 0) == 0)
		{
			std::string name = nameAfter("/v3/paths/get/");
			auto it = _state->paths.find(name);
			if (it == _state->paths.end())
				return error(response, HTTPResponse::HTTP_NOT_FOUND, "path not found");
			return reply(response, HTTPResponse::HTTP_OK, *runtimePath(name, it->second, _state->runtime[name]));
		}
		error(response, HTTPResponse::HTTP_NOT_FOUND, "not found");
	}

private:
	enum class Write { Add, Patch, Replace };

	bool authorized(HTTPServerRequest& request) const
		/// Basic auth when the double has a user (mediamtx.api.username).
	{
		if (_state->username.empty())
			return true;
		if (!request.hasCredentials())
			return false;
		Poco::Net::HTTPBasicCredentials credentials(request);
		return credentials.getUsername() == _state->username && credentials.getPassword() == _state->password;
	}

	template <class Item>
	void listReply(HTTPServerResponse& response, Item item)
		/// A list page with every path, each as item(name, conf) makes it.
	{
		Poco::JSON::Object list;
		Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
		for (const auto& [name, conf]: _state->paths)
			items->add(item(name, conf));
		list.set("itemCount", items->size());
		list.set("pageCount", 1);
		list.set("items", items);
		reply(response, HTTPResponse::HTTP_OK, list);
	}

	void writeConf(HTTPServerResponse& response, Write write, const std::string& name, const std::string& body)
		/// add, patch or replace a path's configuration, refusing what MediaMTX refuses.
	{
		Poco::JSON::Object::Ptr conf;
		try
		{
			Poco::JSON::Parser parser;
			conf = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
		}
		catch (...)
		{
			return error(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid JSON");
		}
		for (const auto& [field, value]: *conf)
			if (!PathConfFields.count(field))
				return error(response, HTTPResponse::HTTP_BAD_REQUEST, "json: unknown field \"" + field + "\"");
		if (conf->has("source") && !conf->get("source").isString())
			return error(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid source");
		auto it = _state->paths.find(name);
		if (write == Write::Add && it != _state->paths.end())
			return error(response, HTTPResponse::HTTP_BAD_REQUEST, "path already exists");
		if (write == Write::Patch && it == _state->paths.end())
			return error(response, HTTPResponse::HTTP_NOT_FOUND, "path not found");
		if (write == Write::Patch)
		{
			for (const auto& [field, value]: *conf)
				it->second->set(field, value);
		}
		else
		{
			conf->set("name", name);
			_state->paths[name] = conf;
		}
		return ok(response);
	}

	std::shared_ptr<MediaMtxDouble::State> _state;
};

class Factory: public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit Factory(std::shared_ptr<MediaMtxDouble::State> state): _state(std::move(state)) {}
	Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(_state); }

private:
	std::shared_ptr<MediaMtxDouble::State> _state;
};

} // namespace

const std::set<std::string>& MediaMtxDouble::pathConfFields()
{
	return PathConfFields;
}

MediaMtxDouble::MediaMtxDouble(int port, std::string username, std::string password):
	_state(std::make_shared<State>()), _port(port)
{
	_state->username = std::move(username);
	_state->password = std::move(password);
	start();
}

MediaMtxDouble::~MediaMtxDouble()
{
	stop();
}

void MediaMtxDouble::start()
{
	Poco::Net::ServerSocket socket;
	socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(_port)), true);
	socket.listen(64);
	_port = socket.address().port();
	auto* params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(4);
	params->setKeepAlive(true);
	_server = std::make_unique<Poco::Net::HTTPServer>(new Factory(_state), socket, params);
	_server->start();
}

void MediaMtxDouble::stop()
{
	if (_server)
	{
		_server->stopAll(true);
		_server.reset();
	}
}

void MediaMtxDouble::restart()
{
	std::lock_guard lock(_state->mutex);
	_state->paths.clear();
	_state->runtime.clear();
	_state->started = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

bool MediaMtxDouble::hasPath(const std::string& name)
{
	std::lock_guard lock(_state->mutex);
	return _state->paths.count(name) > 0;
}

Poco::JSON::Object::Ptr MediaMtxDouble::pathConfig(const std::string& name)
{
	std::lock_guard lock(_state->mutex);
	auto it = _state->paths.find(name);
	return it == _state->paths.end() ? nullptr : it->second;
}

void MediaMtxDouble::removePathByHand(const std::string& name)
{
	std::lock_guard lock(_state->mutex);
	_state->paths.erase(name);
}

void MediaMtxDouble::setPublisher(const std::string& name, bool online, std::uint64_t inboundBytes, int readers)
{
	std::lock_guard lock(_state->mutex);
	_state->runtime[name] = Runtime{online, inboundBytes, readers};
}

int MediaMtxDouble::requestCount(const std::string& method) const
{
	std::lock_guard lock(_state->mutex);
	auto it = _state->requests.find(method);
	return it == _state->requests.end() ? 0 : it->second;
}

} // namespace camsvc::test
