//
// TokenAuthenticator.cpp
//

#include "TokenAuthenticator.h"
#include "AuthErrors.h"

namespace camsvc::auth {

TokenAuthenticator::TokenAuthenticator(std::shared_ptr<const JwtCodec> jwt, std::shared_ptr<ApiKeyStore> keys):
	_jwt(std::move(jwt)),
	_keys(std::move(keys))
{
}

sdk::Record<sdk::Identity> TokenAuthenticator::authenticate(const std::string& token)
{
	if (token.empty())
		throw authenticationFailed(Reason::InvalidToken, "empty token");
	if (ApiKeyStore::isApiKey(token))
		return std::make_shared<const sdk::Identity>(_keys->verify(token));
	return std::make_shared<const sdk::Identity>(_jwt->verify(token));
}

} // namespace camsvc::auth
