//
// Redact.h
//
// The one rule for showing a source URL (a declared camera's rtsp://, tcp://,
// ... URL) to anyone: in results, notifications and logs. Credentials go:
// the userinfo, and the value of every query parameter whose name says it
// is a secret (password, pass, pwd, token, key, secret, auth; any case).
//
//     redactUrl("rtsp://u:p@cam/s?token=x&x=1") == "rtsp://cam/s?token=REDACTED&x=1"
//

#ifndef CAMSVC_SDK_REDACT_H
#define CAMSVC_SDK_REDACT_H

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <string>

namespace camsvc {
namespace sdk {

inline bool isSecretParameter(const std::string& name)
	/// A query parameter whose value must never be shown.
{
	std::string n = Poco::toLower(name);
	for (const char* secret: {"password", "pass", "pwd", "token", "key", "secret", "auth"})
		if (n == secret)
			return true;
	return false;
}

inline std::string redactUrl(const std::string& url)
	/// The URL without userinfo and with secret query values replaced by
	/// "REDACTED". A URL Poco cannot parse is cut before its authority and
	/// query: nothing of it that could hold a secret is returned.
{
	try
	{
		Poco::URI uri(url);
		bool changed = !uri.getUserInfo().empty();
		uri.setUserInfo("");
		Poco::URI::QueryParameters query = uri.getQueryParameters();
		for (auto& [name, value]: query)
		{
			if (isSecretParameter(name))
			{
				value = "REDACTED";
				changed = true;
			}
		}
		if (!changed)
			return url; // as written: Poco would normalize "testsrc://?..." to "testsrc:/?..."
		uri.setQueryParameters(query);
		return uri.toString();
	}
	catch (const Poco::Exception&)
	{
		auto scheme = url.find("://");
		return (scheme == std::string::npos ? std::string() : url.substr(0, scheme + 3)) + "REDACTED";
	}
}

inline std::string redactUrlsIn(const std::string& text, const std::string& url)
	/// text with every occurrence of url replaced by its redacted form: for
	/// error messages (FFmpeg's, a parser's) that quote the source URL.
{
	if (url.empty())
		return text;
	std::string redacted = redactUrl(url), out;
	std::size_t pos = 0, hit;
	while ((hit = text.find(url, pos)) != std::string::npos)
	{
		out.append(text, pos, hit - pos).append(redacted);
		pos = hit + url.size();
	}
	return out.append(text, pos, std::string::npos);
}

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_REDACT_H
