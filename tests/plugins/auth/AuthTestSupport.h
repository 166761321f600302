//
// AuthTestSupport.h
//
// Helpers for the auth unit tests: a temporary directory and raw JWT
// building blocks for crafting hostile tokens.
//

#ifndef CAMSVC_TEST_AUTHTESTSUPPORT_H
#define CAMSVC_TEST_AUTHTESTSUPPORT_H

#include <camsvc/sdk/Errors.h>
#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>
#include <functional>
#include <sstream>
#include <string>

namespace camsvc::test {

class TempDir
{
public:
	TempDir(): _path(Poco::TemporaryFile::tempName())
	{
		Poco::File(_path).createDirectories();
	}
	~TempDir()
	{
		try { Poco::File(_path).remove(true); } catch (...) {}
	}
	const std::string& path() const { return _path; }
	std::string file(const std::string& name) const { return Poco::Path(Poco::Path::forDirectory(_path), name).toString(); }

private:
	std::string _path;
};

inline std::string base64Url(const std::string& bytes)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder.rdbuf()->setLineLength(0);
	encoder << bytes;
	encoder.close();
	return out.str();
}

inline std::string rpcReason(const std::function<void()>& call, int expectedCode)
	/// Runs call, expects an RpcError with expectedCode; returns data.reason ("" if none thrown).
{
	try
	{
		call();
	}
	catch (sdk::RpcError& e)
	{
		EXPECT_EQ(e.code(), expectedCode) << e.what();
		return e.data() ? e.data()->optValue<std::string>("reason", "<no reason>") : "<no data>";
	}
	ADD_FAILURE() << "no RpcError thrown";
	return "";
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_AUTHTESTSUPPORT_H
