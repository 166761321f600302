//
// FuzzTokenVerify.cpp
//
// libFuzzer target: JWT and API-key verification through the Authenticator
// the server uses. The first byte picks what the rest is:
//   0: a token as a client sends it (JWT or "csk_..." API key);
//   1: "<header JSON>\n<payload JSON>", signed here with the service's
//      secret, so the fuzzer reaches the claim checks behind the signature;
//   2: the tail of an API key "csk_<id>_..." with the id of a stored key.
// Verification may only refuse with RpcError -32001; an accepted identity
// has a user, a role and the method it came through, and an accepted API key
// is exactly the stored one.
//

#include "ApiKeyStore.h"
#include "JwtCodec.h"
#include "TokenAuthenticator.h"
#include "camsvc/sdk/Errors.h"
#include <Poco/Base64Encoder.h>
#include <Poco/Logger.h>
#include <Poco/TemporaryFile.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <cstdio>
#include <cstdlib>
#include <sstream>

using namespace camsvc;
using namespace camsvc::auth;

namespace {

const std::string Secret = "fuzzing-secret-0123456789abcdef-0123456789";

std::string base64Url(const std::string& bytes)
{
	std::ostringstream out;
	Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
	encoder << bytes;
	encoder.close();
	return out.str();
}

std::string sign(const std::string& headerJson, const std::string& payloadJson)
{
	std::string signingInput = base64Url(headerJson) + "." + base64Url(payloadJson);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	HMAC(EVP_sha256(), Secret.data(), static_cast<int>(Secret.size()),
		reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size(), mac, &length);
	return signingInput + "." + base64Url(std::string(reinterpret_cast<const char*>(mac), length));
}

struct Verifier
{
	Verifier():
		keyFile(Poco::TemporaryFile::tempName()),
		keys(std::make_shared<ApiKeyStore>(keyFile)),
		created(keys->create("fuzz", sdk::Role::Operator)),
		authenticator(std::make_shared<JwtCodec>(Secret, std::set<std::string>{"HS256", "HS384"}, 30, 64), keys)
	{
		Poco::TemporaryFile::registerForDeletion(keyFile);
		Poco::TemporaryFile::registerForDeletion(keyFile + ".lock");
	}

	std::string keyFile;
	std::shared_ptr<ApiKeyStore> keys;
	CreatedApiKey created;
	TokenAuthenticator authenticator;
};

void verify(Verifier& v, const std::string& token)
{
	sdk::Identity identity;
	try
	{
		identity = *v.authenticator.authenticate(token);
	}
	catch (const sdk::RpcError& e)
	{
		if (e.code() != sdk::ErrorCode::AuthenticationFailed)
		{
			::fprintf(stderr, "refused with %d instead of -32001\n", e.code());
			std::abort();
		}
		return;
	}
	const bool apiKey = ApiKeyStore::isApiKey(token);
	if (identity.userId.empty() || identity.role == sdk::Role::None
		|| identity.method != (apiKey ? "api_key" : "jwt") || (apiKey && token != v.created.key))
	{
		::fprintf(stderr, "accepted a bad token: %s\n", token.c_str());
		std::abort();
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	static Verifier v;
	if (size < 1)
		return 0;
	const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
	switch (data[0] % 3)
	{
	case 0:
		verify(v, rest);
		break;
	case 1:
	{
		auto newline = rest.find('\n');
		if (newline == std::string::npos)
			verify(v, sign(R"({"alg":"HS256","typ":"JWT"})", rest));
		else
			verify(v, sign(rest.substr(0, newline), rest.substr(newline + 1)));
		break;
	}
	default:
		verify(v, v.created.key.substr(0, 4 + 16 + 1) + rest);
		break;
	}
	return 0;
}
