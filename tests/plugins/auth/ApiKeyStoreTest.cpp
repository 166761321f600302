//
// ApiKeyStoreTest.cpp
//
// API keys: life cycle, what the file holds (and does not), sharing the file
// between two store instances as the server and the admin tool do.
//

#include "ApiKeyStore.h"
#include "AuthTestSupport.h"
#include "PrivateFile.h"
#include <fstream>
#include <sstream>

using namespace camsvc;
using namespace camsvc::auth;
using camsvc::test::rpcReason;
using camsvc::test::TempDir;

namespace {

constexpr auto AuthFailed = sdk::ErrorCode::AuthenticationFailed;
const Poco::Timestamp::TimeDiff Day = 86400LL * Poco::Timestamp::resolution();

std::string readAll(const std::string& path)
{
	std::ifstream in(path);
	std::ostringstream out;
	out << in.rdbuf();
	return out.str();
}

class ApiKeyStoreTest: public ::testing::Test
{
protected:
	TempDir dir;
	std::string path = dir.file("keys/api_keys.json"); // parent created on first write
};

} // namespace

TEST_F(ApiKeyStoreTest, CreateVerifyRevoke)
{
	ApiKeyStore store(path);
	CreatedApiKey created = store.create("ci", sdk::Role::Operator);
	EXPECT_EQ(created.key.rfind("csk_", 0), 0u);
	EXPECT_GE(created.key.size(), 60u);
	EXPECT_TRUE(ApiKeyStore::isApiKey(created.key));

	sdk::Identity id = store.verify(created.key);
	EXPECT_EQ(id.role, sdk::Role::Operator);
	EXPECT_EQ(id.userId, created.record.id);
	EXPECT_EQ(id.method, "api_key");
	EXPECT_GT(id.expiresAt, Poco::Timestamp() + 365 * Day); // no expiry

	EXPECT_TRUE(store.revoke(created.record.id));
	EXPECT_FALSE(store.revoke("0000000000000000"));
	EXPECT_EQ(rpcReason([&] { store.verify(created.key); }, AuthFailed), "revoked");
	auto keys = store.list();
	ASSERT_EQ(keys.size(), 1u);
	EXPECT_TRUE(keys[0].revoked);
	EXPECT_NE(keys[0].revokedAt.epochMicroseconds(), 0);
}

TEST_F(ApiKeyStoreTest, KeysAreDistinctAndRandom)
{
	ApiKeyStore store(path);
	CreatedApiKey a = store.create("a", sdk::Role::Viewer);
	CreatedApiKey b = store.create("b", sdk::Role::Viewer);
	EXPECT_NE(a.key, b.key);
	EXPECT_NE(a.record.id, b.record.id);
	EXPECT_EQ(store.verify(a.key).userId, a.record.id);
	EXPECT_EQ(store.verify(b.key).userId, b.record.id);
}

TEST_F(ApiKeyStoreTest, ExpiredKeyIsRejected)
{
	ApiKeyStore store(path);
	CreatedApiKey created = store.create("temp", sdk::Role::Viewer, 1);
	sdk::Identity id = store.verify(created.key);
	EXPECT_NEAR(static_cast<double>(id.expiresAt.epochTime()), static_cast<double>(Poco::Timestamp().epochTime() + 86400), 5.0);
	Poco::Timestamp later = Poco::Timestamp() + 2 * Day;
	EXPECT_EQ(rpcReason([&] { store.verify(created.key, later); }, AuthFailed), "token_expired");
}

TEST_F(ApiKeyStoreTest, WrongOrMalformedKeysAreRejected)
{
	ApiKeyStore store(path);
	CreatedApiKey created = store.create("ci", sdk::Role::Admin);
	std::string wrong = created.key;
	wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
	EXPECT_EQ(rpcReason([&] { store.verify(wrong); }, AuthFailed), "invalid_token");
	EXPECT_EQ(rpcReason([&] { store.verify("csk_"); }, AuthFailed), "invalid_token");
	EXPECT_EQ(rpcReason([&] { store.verify("csk_0123456789abcdef_x"); }, AuthFailed), "invalid_token");
	EXPECT_EQ(rpcReason([&] { store.verify(created.key.substr(0, 30)); }, AuthFailed), "invalid_token");
	EXPECT_THROW(store.create("", sdk::Role::Admin), Poco::InvalidArgumentException);
	EXPECT_THROW(store.create("x", sdk::Role::None), Poco::InvalidArgumentException);
}

TEST_F(ApiKeyStoreTest, FileIsPrivateAndHoldsNoPlaintextKey)
{
	ApiKeyStore store(path);
	CreatedApiKey created = store.create("ci", sdk::Role::Admin, 30);
	EXPECT_EQ(fileMode(path), 0600);
	std::string content = readAll(path);
	// csk_<id>_<secret>: the secret itself may contain '_' (base64url), so cut after the id.
	std::string secretPart = created.key.substr(std::string("csk_").size() + created.record.id.size() + 1);
	ASSERT_GE(secretPart.size(), 32u);
	EXPECT_EQ(content.find(created.key), std::string::npos);
	EXPECT_EQ(content.find(secretPart), std::string::npos);
	EXPECT_NE(content.find("sha256:"), std::string::npos);
	EXPECT_NE(content.find(created.record.id), std::string::npos);
	EXPECT_NE(content.find("\"ci\""), std::string::npos);
	EXPECT_NE(content.find("\"admin\""), std::string::npos);
}

TEST_F(ApiKeyStoreTest, SecondInstanceSeesChangesAfterReload)
{
	ApiKeyStore server(path);
	ApiKeyStore tool(path); // the admin tool, another process in real life
	CreatedApiKey created = tool.create("ci", sdk::Role::Viewer);
	EXPECT_EQ(server.verify(created.key).role, sdk::Role::Viewer); // unknown id: the file is checked at once
	EXPECT_FALSE(server.reloadIfChanged());
	CreatedApiKey second = tool.create("ci2", sdk::Role::Admin);
	EXPECT_TRUE(server.reloadIfChanged());
	EXPECT_EQ(server.verify(second.key).role, sdk::Role::Admin);

	ApiKeyStore(path).revoke(created.record.id);
	EXPECT_TRUE(server.reloadIfChanged());
	EXPECT_EQ(rpcReason([&] { server.verify(created.key); }, AuthFailed), "revoked");
}

TEST_F(ApiKeyStoreTest, LastUsedIsBatchedAndMergedWithOtherWriters)
{
	ApiKeyStore server(path);
	CreatedApiKey created = server.create("ci", sdk::Role::Viewer);
	std::string before = readAll(path);
	for (int i = 0; i < 100; ++i)
		server.verify(created.key);
	EXPECT_EQ(readAll(path), before); // verification never writes

	CreatedApiKey other = ApiKeyStore(path).create("other", sdk::Role::Admin); // written behind the server's back
	EXPECT_TRUE(server.flushLastUsed());
	EXPECT_FALSE(server.flushLastUsed()); // nothing new

	ApiKeyStore reread(path);
	auto keys = reread.list();
	ASSERT_EQ(keys.size(), 2u); // the flush kept the other writer's key
	const ApiKeyRecord& used = keys[0].id == created.record.id ? keys[0] : keys[1];
	const ApiKeyRecord& unused = keys[0].id == created.record.id ? keys[1] : keys[0];
	EXPECT_EQ(used.id, created.record.id);
	EXPECT_NE(used.lastUsed.epochMicroseconds(), 0);
	EXPECT_LE(Poco::Timestamp() - used.lastUsed, 5 * Poco::Timestamp::resolution());
	EXPECT_EQ(unused.lastUsed.epochMicroseconds(), 0);
	EXPECT_EQ(reread.verify(other.key).role, sdk::Role::Admin);
}

TEST_F(ApiKeyStoreTest, CorruptFileIsRefused)
{
	Poco::File(dir.path()).createDirectories();
	std::string bad = dir.file("bad.json");
	std::ofstream(bad) << "{\"keys\": [{\"id\": 1}";
	EXPECT_THROW(ApiKeyStore store(bad), Poco::DataFormatException);
	std::ofstream(bad) << "{\"version\":1,\"keys\":[{\"id\":\"a\",\"role\":\"god\",\"hash\":\"sha256:00\"}]}";
	EXPECT_THROW(ApiKeyStore store(bad), Poco::DataFormatException);
}
