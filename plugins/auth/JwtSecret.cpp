//
// JwtSecret.cpp
//

#include "JwtSecret.h"
#include "PrivateFile.h"
#include <Poco/Exception.h>
#include <Poco/File.h>

namespace camsvc::auth {

namespace {

JwtSecret checked(JwtSecret secret)
{
	if (secret.value.size() < JwtSecret::MinimumLength)
		throw Poco::InvalidArgumentException("JWT secret from " + secret.source,
			"shorter than " + std::to_string(JwtSecret::MinimumLength) + " bytes; use a long random value");
	return secret;
}

} // namespace

JwtSecret loadJwtSecret(const AuthSettings& settings, bool generateIfMissing)
{
	if (!settings.jwtSecret.empty())
		return checked({settings.jwtSecret, "auth.jwt.secret", false});
	if (!settings.jwtSecretFile.empty())
		return checked({readFileTrimmed(settings.jwtSecretFile), settings.jwtSecretFile, false});

	std::string path = settings.generatedSecretFile();
	if (generateIfMissing)
	{
		Poco::File(settings.stateDirectory).createDirectories();
		if (createPrivateFile(path, randomToken(JwtSecret::GeneratedBytes) + "\n"))
			return checked({readFileTrimmed(path), path, true});
	}
	if (!Poco::File(path).exists())
		throw Poco::NotFoundException("no JWT secret: set auth.jwt.secret or auth.jwt.secret_file, "
			"or start the server once to generate " + path);
	return checked({readFileTrimmed(path), path, false});
}

} // namespace camsvc::auth
