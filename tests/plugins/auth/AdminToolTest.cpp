//
// AdminToolTest.cpp
//
// Runs the built camera-service-admin binary and checks what it produces
// with the library the server uses.
//

#include "ApiKeyStore.h"
#include "AuthSettings.h"
#include "AuthTestSupport.h"
#include "JwtCodec.h"
#include "JwtSecret.h"
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <fstream>

using namespace camsvc;
using namespace camsvc::auth;
using namespace camsvc::test;

namespace {

const std::string Secret = "admin-tool-test-secret-0123456789";

struct Result
{
	int status;
	std::string out;
	std::string err;
};

class AdminToolTest: public ::testing::Test
{
protected:
	Result run(std::vector<std::string> args, bool withSecret = true)
	{
		std::vector<std::string> all = {"--define", "state.directory=" + dir.path()};
		if (withSecret)
			all.push_back("--define=auth.jwt.secret=" + Secret);
		all.insert(all.end(), args.begin(), args.end());
		Poco::Pipe out, err;
		Poco::ProcessHandle handle = Poco::Process::launch(CAMSVC_ADMIN_TOOL, all, nullptr, &out, &err);
		Poco::PipeInputStream outStream(out), errStream(err);
		Result r;
		Poco::StreamCopier::copyToString(outStream, r.out);
		Poco::StreamCopier::copyToString(errStream, r.err);
		r.status = handle.wait();
		return r;
	}

	TempDir dir;
};

} // namespace

TEST_F(AdminToolTest, MintedTokenVerifies)
{
	Result r = run({"token", "--role", "operator", "--user", "carol", "--ttl", "120"});
	ASSERT_EQ(r.status, 0) << r.err;
	JwtCodec codec(Secret, {"HS256"}, 0);
	sdk::Identity id = codec.verify(Poco::trim(r.out));
	EXPECT_EQ(id.userId, "carol");
	EXPECT_EQ(id.role, sdk::Role::Operator);
	EXPECT_NEAR(static_cast<double>(id.expiresAt.epochTime()), static_cast<double>(Poco::Timestamp().epochTime() + 120), 3.0);
}

TEST_F(AdminToolTest, UsesConfigFileAndGeneratedSecret)
{
	// The server generated the secret on first start; the tool finds it via state.directory from --config.
	AuthSettings settings;
	settings.stateDirectory = dir.path();
	JwtSecret secret = loadJwtSecret(settings, true);
	std::string properties = dir.file("camera-service.properties");
	std::ofstream(properties) << "state.directory = " << dir.path() << "\n";
	Poco::Pipe out;
	Poco::ProcessHandle handle = Poco::Process::launch(CAMSVC_ADMIN_TOOL,
		{"--config=" + properties, "token", "--role=admin", "--user=root"}, nullptr, &out, nullptr);
	Poco::PipeInputStream stream(out);
	std::string token;
	Poco::StreamCopier::copyToString(stream, token);
	ASSERT_EQ(handle.wait(), 0);
	EXPECT_EQ(JwtCodec(secret.value, {"HS256"}, 0).verify(Poco::trim(token)).role, sdk::Role::Admin);
}

TEST_F(AdminToolTest, KeysCreateListRevoke)
{
	Result created = run({"keys", "create", "--name", "ci-runner", "--role", "viewer", "--expires-days", "7"});
	ASSERT_EQ(created.status, 0) << created.err;
	std::string key = Poco::trim(created.out);
	ASSERT_TRUE(ApiKeyStore::isApiKey(key)) << key;

	AuthSettings settings;
	settings.stateDirectory = dir.path();
	std::string keysFile = dir.file("api_keys.json");
	sdk::Identity id = ApiKeyStore(keysFile).verify(key);
	EXPECT_EQ(id.role, sdk::Role::Viewer);
	EXPECT_NE(created.err.find(id.userId), std::string::npos); // the id is reported

	Result listed = run({"keys", "list"}, false); // listing needs no JWT secret
	ASSERT_EQ(listed.status, 0) << listed.err;
	EXPECT_NE(listed.out.find(id.userId), std::string::npos);
	EXPECT_NE(listed.out.find("ci-runner"), std::string::npos);
	EXPECT_NE(listed.out.find("active"), std::string::npos);
	EXPECT_EQ(listed.out.find(key), std::string::npos);

	Result revoked = run({"keys", "revoke", id.userId});
	ASSERT_EQ(revoked.status, 0) << revoked.err;
	ApiKeyStore store(keysFile);
	EXPECT_EQ(rpcReason([&] { store.verify(key); }, sdk::ErrorCode::AuthenticationFailed), "revoked");
	EXPECT_NE(run({"keys", "list"}).out.find("revoked"), std::string::npos);
	EXPECT_NE(run({"keys", "revoke", "ffffffffffffffff"}).status, 0);
}

TEST_F(AdminToolTest, UsageErrors)
{
	EXPECT_EQ(run({"token", "--role", "admin"}).status, 64);             // missing --user
	EXPECT_EQ(run({"token", "--role", "root", "--user", "x"}).status, 64); // bad role
	EXPECT_EQ(run({"frobnicate"}).status, 64);
	Result noSecret = run({"token", "--role", "admin", "--user", "x"}, false);
	EXPECT_NE(noSecret.status, 0);
	EXPECT_NE(noSecret.err.find("jwt_secret"), std::string::npos) << noSecret.err;
}
