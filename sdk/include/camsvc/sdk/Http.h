//
// Http.h
//
// HTTP routes a plugin serves on the service's port (downloads, /metrics).
//
// Since SDK 1.2 a handler gets a complete, already size-checked request and
// fills a response object; the core's reactor reads and writes the socket.
// A handler never touches a socket, so a slow client costs no thread.
//

#ifndef CAMSVC_SDK_HTTP_H
#define CAMSVC_SDK_HTTP_H

#include "camsvc/sdk/Identity.h"
#include <Poco/JSON/Object.h>
#include <Poco/Net/NameValueCollection.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <string>

namespace camsvc {
namespace sdk {

struct HttpRoute
{
	std::string method = "GET";  // exact HTTP method; HEAD is routed to GET handlers too
	std::string pathPrefix;      // e.g. "/files/recordings/"; longest prefix wins
	Role minRole = Role::Viewer; // Role::None: public. Otherwise the core checks
	                             // "Authorization: Bearer <token>" or "?token=" first
	                             // and answers 401/403 itself.
	bool authOptional = false;   // true: the core authenticates if a token is given
	                             // but lets anonymous requests through (the handler decides)

	Poco::JSON::Object::Ptr record() const
		/// Inline, compiled into the plugin: the route as the record the host
		/// reads (Host::registerHttpRoute()).
	{
		Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
		r->set("method", method);
		r->set("pathPrefix", pathPrefix);
		r->set("minRole", static_cast<int>(minRole));
		r->set("authOptional", authOptional);
		return r;
	}
};

struct HttpContext
{
	bool authenticated = false;
	Identity identity;
	std::string remoteAddress;
};

struct HttpRequest
	/// A complete request as the core read it. Owned by the core; valid for
	/// the duration of the handler call.
{
	std::string method;                      // "GET", "HEAD", "POST", ...
	std::string uri;                         // as sent: path and query, not decoded
	std::string path;                        // uri without the query, not decoded
	Poco::Net::NameValueCollection headers;  // names compare case-insensitively
	std::string body;                        // de-chunked; at most server.http.max_body_size

	std::string get(const std::string& name, const std::string& fallback) const { return headers.get(name, fallback); }
		/// A copy: Poco's get() returns a reference to the fallback, which dangles when it is a temporary.
	bool isHead() const { return method == "HEAD"; }
};

class HttpStream
	/// A response body written piece by piece after the handler has
	/// returned (live video): sent with chunked transfer coding, the
	/// connection closed after it. Implemented by the core; every function
	/// is thread-safe and never blocks.
{
public:
	virtual ~HttpStream() = default;
	virtual bool write(std::string_view bytes) = 0;
		/// Any thread. Queues bytes for the client; false when the client is
		/// gone (stop writing) or when queuedBytes() would pass the limit
		/// (server.websocket.send_queue_limit): nothing was queued, skip ahead.
	virtual std::size_t queuedBytes() const = 0;
		/// Any thread: bytes written but not yet taken by the client.
	virtual bool open() const = 0;
		/// Any thread: false once the client has gone or close() was called.
	virtual void close() = 0;
		/// Any thread: ends the body; the connection closes once it is sent.
};

struct HttpResponse
	/// Filled by the handler, sent by the core. The body is either `body`
	/// or, when fileDescriptor >= 0, fileLength bytes of that file from
	/// fileOffset (sent with sendfile(2); the core takes ownership of the
	/// descriptor and closes it), or — when onStream is set — a stream:
	/// the core sends the head and hands onStream the HttpStream to write
	/// the body into. Content-Length is set by the core; for HEAD requests
	/// the body is not sent (and onStream not called).
{
	int status = 200;
	Poco::Net::NameValueCollection headers;  // e.g. Content-Type, Cache-Control
	std::string body;
	int fileDescriptor = -1;
	std::uint64_t fileOffset = 0;
	std::uint64_t fileLength = 0;
	std::function<void(std::shared_ptr<HttpStream> stream)> onStream;
		/// Called once, on an I/O thread, right after the head is queued: keep
		/// the stream and return at once.

	void setBody(std::string content, const std::string& contentType)
	{
		body = std::move(content);
		headers.set("Content-Type", contentType);
	}
};

using HttpHandler = std::function<void(const HttpRequest& request, HttpResponse& response, const HttpContext& ctx)>;
	/// Runs on a worker thread, several at once; may block briefly (disk).
	/// A handler that throws is answered 500.

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_HTTP_H
