//
// DownloadHandler.h
//
// GET/HEAD /files/recordings/NAME and /files/snapshots/NAME. The core has
// already authenticated the request (Bearer header or ?token=). The name is
// taken from the raw request URI, percent-decoded once and must then be a
// plain media name (so "..", "/", "%2F", "%5C", "%00" and absolute paths are
// refused with 400); the file must resolve (symlinks followed) inside the
// kind's directory, else 404. Answers one byte range (206) or the whole
// file; the core's reactor sends it from the open descriptor (sendfile), so
// a client that reads slowly holds no thread.
//

#ifndef CAMSVC_STORAGE_DOWNLOADHANDLER_H
#define CAMSVC_STORAGE_DOWNLOADHANDLER_H

#include "MediaLibrary.h"
#include "camsvc/sdk/Http.h"
#include "camsvc/sdk/Metrics.h"

namespace camsvc::storage {

class DownloadHandler
{
public:
	DownloadHandler(MediaLibrary& library, sdk::MediaKind kind, std::string pathPrefix,
		sdk::Counter* downloads = nullptr, sdk::Counter* bytesSent = nullptr);

	void operator()(const sdk::HttpRequest& request, sdk::HttpResponse& response, const sdk::HttpContext& context);
		/// Thread-safe; opens the file and hands its range to the core.

	static std::string nameFromUri(const std::string& uri, const std::string& prefix);
		/// The decoded file name of a request URI, or "" when the URI is not
		/// under prefix or its name part is malformed (bad %-escape).

private:
	MediaLibrary& _library;
	sdk::MediaKind _kind;
	std::string _prefix;
	sdk::Counter* _downloads;
	sdk::Counter* _bytesSent;
};

} // namespace camsvc::storage

#endif
