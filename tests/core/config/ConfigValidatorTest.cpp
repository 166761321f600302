//
// ConfigValidatorTest.cpp
//
// The key table and validator in-process: records read by member name,
// every bad-value class named with the key, the value and what was
// expected, unknown keys under a known prefix answered with the nearest
// declared key, origins with file lines; the reloadable file layer under
// concurrent readers.
//

#include "config/ConfigKeyTable.h"
#include "config/ConfigValidator.h"
#include "config/CoreConfigKeys.h"
#include "config/EffectiveConfig.h"
#include "config/SwappableConfiguration.h"
#include <Poco/AutoPtr.h>
#include <Poco/JSON/Object.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

using namespace camsvc::core;
using camsvc::sdk::ConfigKey;
using camsvc::sdk::ConfigType;

namespace {

ConfigKeyTable sampleTable()
{
	ConfigKeyTable t;
	declareCoreConfig(t);
	t.setOwner("cameras");
	t.declare(ConfigKey("cameras.encoder.crf", ConfigType::Integer, "23", "x264 CRF").range(0, 51));
	t.declare(ConfigKey("cameras.encoder.gop_seconds", ConfigType::Number, "1", "GOP").range(0.1, 60));
	t.declare(ConfigKey("cameras.always_on", ConfigType::Boolean, "false", "always on"));
	t.declare(ConfigKey("cameras.sources", ConfigType::String, "", "sources").family());
	t.setOwner("auth");
	t.declare(ConfigKey("auth.rate_limit.burst", ConfigType::Number, "200", "burst").range(1, 1e300));
	t.declare(ConfigKey("auth.jwt.algorithms", ConfigType::List, "HS256", "algorithms").values({"HS256", "HS384", "HS512"}));
	t.declare(ConfigKey("auth.jwt.secret", ConfigType::String, "", "secret").masked().maxLen(8));
	t.setOwner("recording");
	t.declare(ConfigKey("recording.default_format", ConfigType::String, "mp4", "format").values({"mp4", "mkv"}));
	return t;
}

struct Fixture
{
	Poco::AutoPtr<Poco::Util::MapConfiguration> values = new Poco::Util::MapConfiguration;
	std::set<std::string> defined;

	ConfigFindings define(const std::string& key, const std::string& value)
	{
		values->setString(key, value);
		defined.insert(key);
		return validateConfig(sampleTable(), EffectiveConfig(*values, "", {}, defined));
	}
};

std::string onlyProblem(const ConfigFindings& f)
{
	EXPECT_EQ(f.problems.size(), 1u);
	return f.problems.empty() ? "" : f.problems.front();
}

} // namespace

TEST(ConfigKeyTable, ReadsRecordsByMemberNameWithDefaultsForAbsentMembers)
{
	ConfigKeyTable t;
	Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
	r->set("name", "old.key"); // an older plugin's record: name only
	t.declareRecord(r);
	ASSERT_NE(t.find("old.key"), nullptr);
	EXPECT_EQ(t.find("old.key")->type, ConfigType::String);
	EXPECT_FALSE(t.find("old.key")->secret);
	EXPECT_EQ(t.find("old.key")->owner, "core");
	r->set("future_member", 7); // a newer plugin's: unknown members ignored
	r->set("name", "new.key");
	r->set("type", "integer");
	r->set("maximum", 9);
	t.declareRecord(r);
	EXPECT_EQ(t.find("new.key")->type, ConfigType::Integer);
	EXPECT_EQ(t.find("new.key")->maximum, 9);
}

TEST(ConfigKeyTable, RefusesDuplicatesAndMalformedRecords)
{
	ConfigKeyTable t = sampleTable();
	EXPECT_THROW(t.declare(ConfigKey("cameras.encoder.crf", ConfigType::Integer, "1", "again")), std::invalid_argument);
	Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
	r->set("name", "x.y");
	r->set("type", "colour");
	EXPECT_THROW(t.declareRecord(r), std::invalid_argument);
	EXPECT_THROW(t.declareRecord(new Poco::JSON::Object), std::invalid_argument);
}

TEST(ConfigValidator, DefaultsAreValid)
{
	Fixture f;
	EXPECT_TRUE(validateConfig(sampleTable(), EffectiveConfig(*f.values, "", {}, {})).ok());
}

TEST(ConfigValidator, NamesKeyValueAndExpectationForEveryBadValueClass)
{
	EXPECT_EQ(onlyProblem(Fixture().define("cameras.encoder.crf", "banana")), "--define: cameras.encoder.crf = \"banana\": expected an integer 0\u201351");
	EXPECT_EQ(onlyProblem(Fixture().define("cameras.encoder.crf", "52")), "--define: cameras.encoder.crf = \"52\": expected an integer 0\u201351");
	EXPECT_EQ(onlyProblem(Fixture().define("cameras.encoder.crf", "2.5")), "--define: cameras.encoder.crf = \"2.5\": expected an integer 0\u201351");
	EXPECT_EQ(onlyProblem(Fixture().define("auth.rate_limit.burst", "-5")), "--define: auth.rate_limit.burst = \"-5\": expected a number >= 1");
	EXPECT_EQ(onlyProblem(Fixture().define("cameras.encoder.gop_seconds", "x")), "--define: cameras.encoder.gop_seconds = \"x\": expected a number 0.1\u201360");
	EXPECT_EQ(onlyProblem(Fixture().define("cameras.always_on", "maybe")), "--define: cameras.always_on = \"maybe\": expected true or false");
	EXPECT_EQ(onlyProblem(Fixture().define("recording.default_format", "avi")), "--define: recording.default_format = \"avi\": expected one of mp4, mkv");
	EXPECT_EQ(onlyProblem(Fixture().define("auth.jwt.algorithms", "HS256, none")),
		"--define: auth.jwt.algorithms = \"HS256, none\": expected a comma-separated list of HS256, HS384, HS512");
	EXPECT_EQ(onlyProblem(Fixture().define("server.umask", "8")), "--define: server.umask = \"8\": expected an octal mode such as 027");
	EXPECT_EQ(onlyProblem(Fixture().define("logging.levels.core.net", "loud")),
		"--define: logging.levels.core.net = \"loud\": expected one of none, fatal, critical, error, warning, notice, information, debug, trace");
	EXPECT_NE(onlyProblem(Fixture().define("server.trusted_proxies", "10.0.0.0/40")).find("expected IP addresses or CIDR networks"), std::string::npos);
}

TEST(ConfigValidator, SecretsAreMaskedEvenInProblems)
{
	EXPECT_EQ(onlyProblem(Fixture().define("auth.jwt.secret", "much-too-long-secret")),
		"--define: auth.jwt.secret = \"********\": expected at most 8 characters");
}

TEST(ConfigValidator, AcceptsEveryBooleanSpellingAndBoundaries)
{
	for (const char* b: {"true", "FALSE", "yes", "no", "on", "off", "1", "0"})
		EXPECT_TRUE(Fixture().define("cameras.always_on", b).ok()) << b;
	EXPECT_TRUE(Fixture().define("cameras.encoder.crf", "0").ok());
	EXPECT_TRUE(Fixture().define("cameras.encoder.crf", "51").ok());
	EXPECT_TRUE(Fixture().define("server.umask", "0077").ok());
}

TEST(ConfigValidator, TlsNeedsCertificateAndKeyTogether)
{
	EXPECT_EQ(onlyProblem(Fixture().define("server.tls.certificate", "/c.pem")),
		"--define: server.tls.certificate = \"/c.pem\": expected server.tls.private_key set too (TLS needs both or neither)");
	Fixture both;
	both.define("server.tls.certificate", "/c.pem");
	EXPECT_TRUE(both.define("server.tls.private_key", "/k.pem").ok());
}

TEST(ConfigValidator, UnknownKeyUnderAKnownPrefixSuggestsTheNearest)
{
	ConfigFindings f = Fixture().define("auth.rate_limit.brust", "5");
	EXPECT_TRUE(f.ok());
	ASSERT_EQ(f.warnings.size(), 1u);
	EXPECT_EQ(f.warnings[0], "--define: auth.rate_limit.brust is not a known key: did you mean \"auth.rate_limit.burst\"?");
	// Members of a family, and keys of plugins nobody enabled, are not unknown.
	EXPECT_TRUE(Fixture().define("cameras.sources.door.url", "rtsp://x").warnings.empty());
	EXPECT_TRUE(Fixture().define("mqtt.url", "mqtt://b").warnings.empty());
}

TEST(ConfigValidator, EditDistance)
{
	EXPECT_EQ(editDistance("brust", "burst"), 2u);
	EXPECT_EQ(editDistance("", "abc"), 3u);
	EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(EffectiveConfig, OriginsAreDefineFileLineOrDefault)
{
	std::string path = (std::filesystem::temp_directory_path() / "camsvc-origins.properties").string();
	{
		std::ofstream out(path);
		out << "# comment\n\ncameras.encoder.crf = 30\nlong.value = a \\\n  b = c\ncameras.always_on: true\ncameras.encoder.crf=31\n";
	}
	auto lines = propertiesKeyLines(path);
	EXPECT_EQ(lines.at("cameras.encoder.crf"), 7); // the last one wins, as Poco reads it
	EXPECT_EQ(lines.at("long.value"), 4);
	EXPECT_EQ(lines.count("b"), 0u); // a continuation line is not a key
	EXPECT_EQ(lines.at("cameras.always_on"), 6);
	Poco::AutoPtr<Poco::Util::MapConfiguration> values = new Poco::Util::MapConfiguration;
	values->setString("server.port", "9000");
	EffectiveConfig config(*values, "etc/x.properties", lines, {"server.port"});
	EXPECT_EQ(config.origin("server.port"), "--define");
	EXPECT_EQ(config.origin("cameras.encoder.crf"), "etc/x.properties:7");
	EXPECT_EQ(config.origin("cameras.encoder.gop_seconds"), "default");
	std::filesystem::remove(path);
}

TEST(SwappableConfiguration, ReadersSeeTheOldOrTheNewFileNeverAFreedOne)
{
	using camsvc::core::SwappableConfiguration;
	auto layer = [](const std::string& value) {
		Poco::AutoPtr<Poco::Util::MapConfiguration> m = new Poco::Util::MapConfiguration;
		m->setString("cameras.encoder.crf", value);
		m->setString("cameras.sources.a.url", "testsrc://");
		return SwappableConfiguration::Layer(m);
	};
	Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
	SwappableConfiguration::Ptr file = new SwappableConfiguration(layer("20"));
	config->add(file, "file", 0, false);
	std::atomic<bool> stop{false};
	std::atomic<int> wrong{0};
	std::vector<std::thread> readers;
	for (int t = 0; t < 3; ++t)
		readers.emplace_back([&] {
			while (!stop)
			{
				int v = config->getInt("cameras.encoder.crf");
				Poco::Util::AbstractConfiguration::Keys ids;
				config->keys("cameras.sources", ids);
				if ((v != 20 && v != 30) || ids.size() != 1)
					++wrong;
			}
		});
	for (int i = 0; i < 2000; ++i)
		file->swap(layer(i % 2 ? "20" : "30")); // each old layer is released by the last reader holding it
	stop = true;
	for (auto& r: readers)
		r.join();
	EXPECT_EQ(wrong, 0);
	EXPECT_THROW(file->setString("x", "y"), Poco::InvalidAccessException);
}
