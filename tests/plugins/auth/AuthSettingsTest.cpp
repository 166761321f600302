//
// AuthSettingsTest.cpp
//
// Configuration defaults and validation, and where the JWT secret comes from
// (including generation on first start).
//

#include "AuthSettings.h"
#include "AuthTestSupport.h"
#include "JwtSecret.h"
#include "PrivateFile.h"
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <fstream>

using namespace camsvc::auth;
using camsvc::test::TempDir;

namespace {

class AuthSettingsTest: public ::testing::Test
{
protected:
	AuthSettingsTest()
	{
		config->setString("state.directory", dir.path());
	}

	TempDir dir;
	Poco::AutoPtr<Poco::Util::MapConfiguration> config{new Poco::Util::MapConfiguration};
};

} // namespace

TEST_F(AuthSettingsTest, Defaults)
{
	AuthSettings s = AuthSettings::fromConfig(*config);
	EXPECT_EQ(s.algorithms, std::set<std::string>{"HS256"});
	EXPECT_EQ(s.clockSkewSeconds, 30);
	EXPECT_EQ(s.apiKeysFile, dir.file("api_keys.json"));
	EXPECT_EQ(s.generatedSecretFile(), dir.file("jwt_secret"));
	EXPECT_DOUBLE_EQ(s.connectionRate.requestsPerSecond, 100);
	EXPECT_DOUBLE_EQ(s.connectionRate.burst, 200);
	EXPECT_DOUBLE_EQ(s.identityRate.requestsPerSecond, 500);
	EXPECT_DOUBLE_EQ(s.identityRate.burst, 1000);
	EXPECT_EQ(s.maxFailuresPerConnection, 5);
	EXPECT_DOUBLE_EQ(s.failuresPerMinute, 10);
}

TEST_F(AuthSettingsTest, AlgorithmsAreValidated)
{
	config->setString("auth.jwt.algorithms", " HS256 , HS512 ");
	EXPECT_EQ(AuthSettings::fromConfig(*config).algorithms, (std::set<std::string>{"HS256", "HS512"}));
	for (const char* bad: {"none", "HS256,none", "RS256", ""})
	{
		config->setString("auth.jwt.algorithms", bad);
		EXPECT_THROW(AuthSettings::fromConfig(*config), Poco::InvalidArgumentException) << bad;
	}
	config->setString("auth.jwt.algorithms", "HS256");
	config->setInt("auth.rate_limit.burst", -1);
	EXPECT_THROW(AuthSettings::fromConfig(*config), Poco::InvalidArgumentException);
}

TEST_F(AuthSettingsTest, SecretIsGeneratedOnceOnFirstStart)
{
	AuthSettings s = AuthSettings::fromConfig(*config);
	EXPECT_THROW(loadJwtSecret(s, false), Poco::NotFoundException); // the admin tool never generates

	JwtSecret first = loadJwtSecret(s, true);
	EXPECT_TRUE(first.generated);
	EXPECT_EQ(first.source, s.generatedSecretFile());
	EXPECT_GE(first.value.size(), 64u);
	EXPECT_EQ(fileMode(s.generatedSecretFile()), 0600);

	JwtSecret second = loadJwtSecret(s, true);
	EXPECT_FALSE(second.generated);
	EXPECT_EQ(second.value, first.value);
	EXPECT_EQ(loadJwtSecret(s, false).value, first.value);
}

TEST_F(AuthSettingsTest, ConfiguredSecretWins)
{
	std::string file = dir.file("secret.txt");
	std::ofstream(file) << "file-secret-with-enough-bytes\n";
	config->setString("auth.jwt.secret_file", file);
	JwtSecret fromFile = loadJwtSecret(AuthSettings::fromConfig(*config), true);
	EXPECT_EQ(fromFile.value, "file-secret-with-enough-bytes"); // trailing newline trimmed
	EXPECT_FALSE(Poco::File(dir.file("jwt_secret")).exists());

	config->setString("auth.jwt.secret", "inline-secret-with-enough-bytes");
	EXPECT_EQ(loadJwtSecret(AuthSettings::fromConfig(*config), true).value, "inline-secret-with-enough-bytes");

	config->setString("auth.jwt.secret", "short");
	EXPECT_THROW(loadJwtSecret(AuthSettings::fromConfig(*config), true), Poco::InvalidArgumentException);
}
