#include "MediaMtxClient.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <sstream>

namespace camsvc::mediamtx {

namespace {

std::string encodePathName(const std::string& name)
{
	std::string encoded;
	Poco::URI::encode(name, "/?#%", encoded);
	return encoded;
}

std::string errorText(const std::string& body)
{
	try
	{
		Poco::JSON::Parser parser;
		auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
		if (object->has("error"))
			return object->getValue<std::string>("error");
	}
	catch (...)
	{
	}
	return body.substr(0, 200);
}

} // namespace

MediaMtxClient::MediaMtxClient(const Poco::URI& apiUrl, std::string username, std::string password, int timeoutMs):
	_base(apiUrl), _username(std::move(username)), _password(std::move(password)),
	_timeout(static_cast<long>(timeoutMs) / 1000, static_cast<long>(timeoutMs % 1000) * 1000)
{
}

void MediaMtxClient::reconfigure(const Poco::URI& apiUrl, std::string username, std::string password, int timeoutMs)
{
	std::lock_guard lock(_mutex);
	_base = apiUrl;
	_username = std::move(username);
	_password = std::move(password);
	_timeout = Poco::Timespan(static_cast<long>(timeoutMs) / 1000, static_cast<long>(timeoutMs % 1000) * 1000);
	_session.reset();
}

MediaMtxClient::Response MediaMtxClient::request(const std::string& method, const std::string& path, const std::string& body)
{
	std::lock_guard lock(_mutex);
	for (int attempt = 0; attempt < 2; ++attempt)
	{
		bool reused = _session != nullptr;
		try
		{
			if (!_session)
			{
				_session = std::make_unique<Poco::Net::HTTPClientSession>(_base.getHost(), _base.getPort());
				_session->setTimeout(_timeout);
				_session->setKeepAlive(true);
			}
			Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
			request.setKeepAlive(true);
			if (!_username.empty())
				Poco::Net::HTTPBasicCredentials(_username, _password).authenticate(request);
			if (!body.empty() || method == "POST" || method == "PATCH")
			{
				request.setContentType("application/json");
				request.setContentLength(static_cast<std::streamsize>(body.size()));
			}
			_session->sendRequest(request) << body;
			Poco::Net::HTTPResponse response;
			Response r;
			Poco::StreamCopier::copyToString(_session->receiveResponse(response), r.body);
			r.status = response.getStatus();
			return r;
		}
		catch (const Poco::Exception& e)
		{
			// A kept-alive connection may have died meanwhile: one fresh try.
			// A fresh connection that fails is the answer (a second try would
			// double the wait on a MediaMTX that does not answer).
			_session.reset();
			if (!reused || attempt == 1)
				throw MediaMtxError("MediaMTX unreachable at " + _base.toString() + ": " + e.displayText(), 0);
		}
	}
	throw MediaMtxError("MediaMTX unreachable", 0);
}

Poco::JSON::Object::Ptr MediaMtxClient::expectObject(const Response& r, const std::string& what)
{
	if (r.status != 200)
		throw MediaMtxError(what + ": HTTP " + std::to_string(r.status) + ": " + errorText(r.body), r.status);
	try
	{
		Poco::JSON::Parser parser;
		return parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
		throw MediaMtxError(what + ": malformed JSON from MediaMTX", r.status);
	}
}

void MediaMtxClient::expectOk(const Response& r, const std::string& what)
{
	if (r.status != 200)
		throw MediaMtxError(what + ": HTTP " + std::to_string(r.status) + ": " + errorText(r.body), r.status);
}

ServerInfo MediaMtxClient::info()
{
	auto o = expectObject(request("GET", "/v3/info"), "info");
	return ServerInfo{o->optValue<std::string>("version", ""), o->optValue<std::string>("started", "")};
}

std::optional<Poco::JSON::Object::Ptr> MediaMtxClient::pathConfig(const std::string& name)
{
	auto r = request("GET", "/v3/config/paths/get/" + encodePathName(name));
	if (r.status == 404)
		return std::nullopt;
	return expectObject(r, "get path config " + name);
}

namespace {

std::string toText(const Poco::JSON::Object& conf)
{
	std::ostringstream os;
	conf.stringify(os);
	return os.str();
}

} // namespace

void MediaMtxClient::addPath(const std::string& name, const Poco::JSON::Object& conf)
{
	expectOk(request("POST", "/v3/config/paths/add/" + encodePathName(name), toText(conf)), "add path " + name);
}

void MediaMtxClient::patchPath(const std::string& name, const Poco::JSON::Object& conf)
{
	expectOk(request("PATCH", "/v3/config/paths/patch/" + encodePathName(name), toText(conf)), "patch path " + name);
}

void MediaMtxClient::replacePath(const std::string& name, const Poco::JSON::Object& conf)
{
	expectOk(request("POST", "/v3/config/paths/replace/" + encodePathName(name), toText(conf)), "replace path " + name);
}

void MediaMtxClient::deletePath(const std::string& name)
{
	expectOk(request("DELETE", "/v3/config/paths/delete/" + encodePathName(name)), "delete path " + name);
}

PathState MediaMtxClient::parsePathState(const Poco::JSON::Object& p)
{
	PathState s;
	s.name = p.optValue<std::string>("name", "");
	if (p.has("available"))
		s.available = p.optValue<bool>("available", false);
	else if (p.has("online"))
		s.available = p.optValue<bool>("online", false);
	else
		s.available = p.optValue<bool>("ready", false);
	s.inboundBytes = p.has("inboundBytes") ? p.optValue<Poco::UInt64>("inboundBytes", 0) : p.optValue<Poco::UInt64>("bytesReceived", 0);
	s.outboundBytes = p.has("outboundBytes") ? p.optValue<Poco::UInt64>("outboundBytes", 0) : p.optValue<Poco::UInt64>("bytesSent", 0);
	if (auto source = p.getObject("source"))
		s.sourceType = source->optValue<std::string>("type", "");
	if (auto readers = p.getArray("readers"))
		s.readers = static_cast<int>(readers->size());
	if (auto tracks = p.getArray("tracks2"))
	{
		for (std::size_t i = 0; i < tracks->size(); ++i)
			if (auto t = tracks->getObject(static_cast<unsigned>(i)))
				s.tracks.push_back(t->optValue<std::string>("codec", ""));
	}
	else if (auto old = p.getArray("tracks"))
	{
		for (std::size_t i = 0; i < old->size(); ++i)
			s.tracks.push_back(old->get(static_cast<unsigned>(i)).toString());
	}
	return s;
}

std::optional<PathState> MediaMtxClient::pathState(const std::string& name)
{
	auto r = request("GET", "/v3/paths/get/" + encodePathName(name));
	if (r.status == 404)
		return std::nullopt;
	return parsePathState(*expectObject(r, "get path " + name));
}

std::vector<PathState> MediaMtxClient::paths()
{
	std::vector<PathState> result;
	for (int page = 0;; ++page)
	{
		auto o = expectObject(request("GET", "/v3/paths/list?itemsPerPage=100&page=" + std::to_string(page)), "list paths");
		auto items = o->getArray("items");
		for (std::size_t i = 0; items && i < items->size(); ++i)
			result.push_back(parsePathState(*items->getObject(static_cast<unsigned>(i))));
		if (page + 1 >= o->optValue<int>("pageCount", 1))
			return result;
	}
}

} // namespace camsvc::mediamtx
