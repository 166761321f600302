//
// JwtCodecTest.cpp
//
// JWT verification: every rejection the contract requires, with the reason a
// client sees.
//

#include "AuthTestSupport.h"
#include "JwtCodec.h"
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/JSON/Parser.h>

using namespace camsvc;
using namespace camsvc::auth;
using namespace camsvc::test;

namespace {

const std::string Secret = "0123456789abcdef0123456789abcdef-test-secret";
constexpr auto AuthFailed = sdk::ErrorCode::AuthenticationFailed;

std::int64_t nowSeconds()
{
	return Poco::Timestamp().epochTime();
}

std::string signRaw(const std::string& payloadJson, const std::string& algorithm = "HS256", const std::string& secret = Secret)
	/// A token with exactly this payload, signed by Poco with any algorithm.
{
	Poco::JWT::Signer signer(secret);
	signer.addAllAlgorithms();
	Poco::JWT::Token token;
	token.payload().clear();
	Poco::JSON::Parser parser;
	auto object = parser.parse(payloadJson).extract<Poco::JSON::Object::Ptr>();
	for (const auto& name: object->getNames())
		token.payload().set(name, object->get(name));
	return signer.sign(token, algorithm);
}

std::string claims(const std::string& role, std::int64_t expOffset, const std::string& extra = "")
{
	return "{\"user_id\":\"alice\",\"role\":\"" + role + "\",\"iat\":" + std::to_string(nowSeconds()) +
		",\"exp\":" + std::to_string(nowSeconds() + expOffset) + extra + "}";
}

class JwtCodecTest: public ::testing::Test
{
protected:
	JwtCodec codec{Secret, {"HS256"}, 30};

	std::string reasonFor(const std::string& token)
	{
		return rpcReason([&] { codec.verify(token); }, AuthFailed);
	}
};

} // namespace

TEST_F(JwtCodecTest, ValidTokenForEachRole)
{
	for (sdk::Role role: {sdk::Role::Viewer, sdk::Role::Operator, sdk::Role::Admin})
	{
		std::string token = codec.issue("alice", role, 600);
		sdk::Identity id = codec.verify(token);
		EXPECT_EQ(id.userId, "alice");
		EXPECT_EQ(id.role, role);
		EXPECT_EQ(id.method, "jwt");
		EXPECT_NEAR(static_cast<double>(id.expiresAt.epochTime()), static_cast<double>(nowSeconds() + 600), 2.0);
	}
}

TEST_F(JwtCodecTest, ExternallySignedTokenWithSubClaim)
{
	std::string token = signRaw("{\"sub\":\"bob\",\"role\":\"operator\",\"exp\":" + std::to_string(nowSeconds() + 60) + "}");
	sdk::Identity id = codec.verify(token);
	EXPECT_EQ(id.userId, "bob");
	EXPECT_EQ(id.role, sdk::Role::Operator);
}

TEST_F(JwtCodecTest, ExpiredTokenIsRejected)
{
	EXPECT_EQ(reasonFor(signRaw(claims("viewer", -120))), "token_expired");
}

TEST_F(JwtCodecTest, ClockSkewIsTolerated)
{
	EXPECT_NO_THROW(codec.verify(signRaw(claims("viewer", -10))));                   // 10 s late < 30 s skew
	EXPECT_NO_THROW(codec.verify(signRaw(claims("viewer", 60, ",\"nbf\":" + std::to_string(nowSeconds() + 10)))));
}

TEST_F(JwtCodecTest, NotBeforeInTheFutureIsRejected)
{
	std::string token = signRaw(claims("viewer", 3600, ",\"nbf\":" + std::to_string(nowSeconds() + 600)));
	EXPECT_EQ(reasonFor(token), "token_not_yet_valid");
}

TEST_F(JwtCodecTest, MissingExpIsRejected)
{
	EXPECT_EQ(reasonFor(signRaw("{\"user_id\":\"alice\",\"role\":\"admin\"}")), "invalid_token");
	EXPECT_EQ(reasonFor(signRaw("{\"user_id\":\"alice\",\"role\":\"admin\",\"exp\":\"tomorrow\"}")), "invalid_token");
}

TEST_F(JwtCodecTest, TamperedPayloadIsRejected)
{
	std::string token = codec.issue("alice", sdk::Role::Viewer, 600);
	auto first = token.find('.'), second = token.rfind('.');
	std::string forged = base64Url(claims("admin", 600));
	std::string tampered = token.substr(0, first + 1) + forged + token.substr(second);
	EXPECT_EQ(reasonFor(tampered), "invalid_token");
	std::string flipped = token;
	flipped[second + 3] = flipped[second + 3] == 'A' ? 'B' : 'A';
	EXPECT_EQ(reasonFor(flipped), "invalid_token");
}

TEST_F(JwtCodecTest, SignatureIsComparedWholeNotByPrefix)
{
	// The HMAC check is ours (constant time, CRYPTO_memcmp) instead of
	// Poco's ==: a signature right in all but its last byte, a truncated one,
	// one with a byte appended and a non-base64 one are all rejected; the
	// exact one is accepted.
	std::string token = codec.issue("alice", sdk::Role::Viewer, 600);
	const std::size_t dot = token.rfind('.');
	const std::string head = token.substr(0, dot + 1);
	const std::string signature = token.substr(dot + 1);
	ASSERT_EQ(signature.size(), 43u); // 32 bytes, base64url without padding

	std::string lastFlipped = signature;
	lastFlipped.back() = lastFlipped.back() == 'A' ? 'Q' : 'A'; // the last char's top bits: the 32nd byte
	EXPECT_EQ(reasonFor(head + lastFlipped), "invalid_token");
	EXPECT_EQ(reasonFor(head + signature.substr(0, 40)), "invalid_token");
	EXPECT_EQ(reasonFor(head + signature + "AAAA"), "invalid_token");
	EXPECT_EQ(reasonFor(head + signature.substr(0, 42) + "*"), "invalid_token");
	EXPECT_EQ(reasonFor(head), "invalid_token");
	EXPECT_EQ(codec.verify(token).userId, "alice");
}

TEST_F(JwtCodecTest, WrongSecretIsRejected)
{
	EXPECT_EQ(reasonFor(signRaw(claims("admin", 600), "HS256", "another-secret-of-sufficient-length")), "invalid_token");
}

TEST_F(JwtCodecTest, AlgNoneIsRejected)
{
	std::string header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
	std::string payload = base64Url(claims("admin", 600));
	EXPECT_EQ(reasonFor(header + "." + payload + "."), "invalid_token");
	EXPECT_EQ(reasonFor(header + "." + payload + ".c2ln"), "invalid_token");
	EXPECT_THROW(JwtCodec(Secret, {"none"}, 30), Poco::InvalidArgumentException);
}

TEST_F(JwtCodecTest, OtherAlgorithmOnlyWhenConfigured)
{
	std::string hs512 = signRaw(claims("viewer", 600), "HS512");
	EXPECT_EQ(reasonFor(hs512), "invalid_token");
	JwtCodec both(Secret, {"HS256", "HS512"}, 30);
	EXPECT_EQ(both.verify(hs512).role, sdk::Role::Viewer);
}

TEST_F(JwtCodecTest, MissingOrUnknownRoleIsRejected)
{
	std::string exp = std::to_string(nowSeconds() + 600);
	EXPECT_EQ(reasonFor(signRaw("{\"user_id\":\"alice\",\"exp\":" + exp + "}")), "invalid_token");
	EXPECT_EQ(reasonFor(signRaw("{\"user_id\":\"alice\",\"role\":\"root\",\"exp\":" + exp + "}")), "invalid_token");
	EXPECT_EQ(reasonFor(signRaw("{\"role\":\"admin\",\"exp\":" + exp + "}")), "invalid_token"); // no user
}

TEST_F(JwtCodecTest, MalformedTokensAreRejected)
{
	std::string header = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
	EXPECT_EQ(reasonFor(""), "invalid_token");
	EXPECT_EQ(reasonFor("abc"), "invalid_token");
	EXPECT_EQ(reasonFor("a.b"), "invalid_token");
	EXPECT_EQ(reasonFor("a.b.c.d"), "invalid_token");
	EXPECT_EQ(reasonFor(header + ".%%%not*base64%%%.c2ln"), "invalid_token");
	EXPECT_EQ(reasonFor(header + "." + base64Url("this is not json") + ".c2ln"), "invalid_token");
	EXPECT_EQ(reasonFor(base64Url("[1,2") + "." + base64Url(claims("admin", 60)) + ".c2ln"), "invalid_token");
}

TEST_F(JwtCodecTest, IssueValidatesArguments)
{
	EXPECT_THROW(codec.issue("", sdk::Role::Admin, 60), Poco::InvalidArgumentException);
	EXPECT_THROW(codec.issue("alice", sdk::Role::None, 60), Poco::InvalidArgumentException);
	EXPECT_THROW(codec.issue("alice", sdk::Role::Admin, 0), Poco::InvalidArgumentException);
	EXPECT_THROW(codec.issue("alice", sdk::Role::Admin, 60, "HS512"), Poco::InvalidArgumentException);
}

TEST_F(JwtCodecTest, CachedTokensAreStillCheckedForTime)
{
	std::string token = signRaw(claims("viewer", 60, ",\"nbf\":" + std::to_string(nowSeconds())));
	EXPECT_EQ(codec.verify(token).role, sdk::Role::Viewer); // now cached
	EXPECT_EQ(codec.verify(token).role, sdk::Role::Viewer);
	const Poco::Timestamp::TimeDiff hour = 3600LL * Poco::Timestamp::resolution();
	EXPECT_EQ(rpcReason([&] { codec.verify(token, Poco::Timestamp() + hour); }, AuthFailed), "token_expired");
	EXPECT_EQ(rpcReason([&] { codec.verify(token, Poco::Timestamp() - hour); }, AuthFailed), "token_not_yet_valid");
	// A failed verification is never cached: the same forged text fails again.
	std::string forged = token.substr(0, token.rfind('.') + 1) + "AAAA";
	EXPECT_EQ(reasonFor(forged), "invalid_token");
	EXPECT_EQ(reasonFor(forged), "invalid_token");
}
