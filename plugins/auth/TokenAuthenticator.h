//
// TokenAuthenticator.h
//
// The Authenticator service: a token with the API key prefix is looked up
// in the key store, anything else is verified as a JWT.
//

#ifndef CAMSVC_AUTH_TOKENAUTHENTICATOR_H
#define CAMSVC_AUTH_TOKENAUTHENTICATOR_H

#include "ApiKeyStore.h"
#include "JwtCodec.h"
#include <camsvc/sdk/Authenticator.h>
#include <memory>

namespace camsvc::auth {

class TokenAuthenticator: public sdk::Authenticator
{
public:
	TokenAuthenticator(std::shared_ptr<const JwtCodec> jwt, std::shared_ptr<ApiKeyStore> keys);

	sdk::Record<sdk::Identity> authenticate(const std::string& token) override;
		/// Thread-safe; throws RpcError(-32001) as JwtCodec::verify and
		/// ApiKeyStore::verify do, invalid_token for an empty token.

private:
	std::shared_ptr<const JwtCodec> _jwt;
	std::shared_ptr<ApiKeyStore> _keys;
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_TOKENAUTHENTICATOR_H
