//
// HttpClient.h
//
// One plain HTTP request to the server under test.
//

#ifndef CAMSVC_TEST_HTTPCLIENT_H
#define CAMSVC_TEST_HTTPCLIENT_H

#include <map>
#include <string>
#include <utility>

namespace camsvc::test {

std::pair<int, std::string> httpRequest(int port, const std::string& method, const std::string& path,
	const std::string& bearer = "", const std::string& body = "",
	const std::map<std::string, std::string>& headers = {});
	/// Sends the request to 127.0.0.1:port (Authorization: Bearer when bearer
	/// is not empty); returns the status and the body.

} // namespace camsvc::test

#endif // CAMSVC_TEST_HTTPCLIENT_H
