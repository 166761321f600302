//
// ConfigDocsTest.cpp
//
// The declarations are the documentation: every key the core and the
// plugins declare (camera-service --print-declarations, all plugins enabled)
// is in etc/camera-service.properties (`key = default` or commented
// `# key = default`) and in a key table of the README or docs/*.md (a table
// whose header starts `| key | default |`), and every key written there is
// declared; the defaults agree.
//

#include "app/StartPaths.h"
#include "support/ServerProcess.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace camsvc::test;

namespace {

const char* AllPlugins = "auth,metrics,storage,cameras,snapshots,recording,mediamtx,console,mqtt";

struct Declared
{
	std::string defaultValue;
	bool family = false;
	bool live = false;
	std::string type;
};

std::map<std::string, Declared> declarations()
{
	std::string dir = makeTempDir("camsvc-declarations");
	ServerProcess::Options o;
	o.waitReady = false;
	o.stateDir = dir;
	o.plugins = {};
	o.defines = {{"plugins.enabled", AllPlugins}};
	o.extraArgs = {"--print-declarations"};
	std::string out;
	{
		ServerProcess p(o);
		EXPECT_EQ(p.terminate(0, 20000), 0) << p.log();
		out = p.log();
	}
	removeTree(dir);
	auto json = Poco::JSON::Parser().parse(out.substr(out.find('['))).extract<Poco::JSON::Array::Ptr>();
	std::map<std::string, Declared> keys;
	for (std::size_t i = 0; i < json->size(); ++i)
	{
		auto k = json->getObject(static_cast<unsigned>(i));
		keys[k->getValue<std::string>("name")] = {k->getValue<std::string>("default"), k->getValue<bool>("prefix"), k->getValue<bool>("reloadable"),
			k->getValue<std::string>("type")};
	}
	return keys;
}

const Declared* familyOf(const std::map<std::string, Declared>& keys, const std::string& name)
{
	for (const auto& [key, d]: keys)
		if (d.family && name.compare(0, key.size() + 1, key + ".") == 0)
			return &d;
	return nullptr;
}

std::string source(const std::string& relative)
{
	std::ifstream in(std::string(CAMSVC_SOURCE_DIR) + "/" + relative);
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

std::vector<std::string> cells(const std::string& row)
	/// "| a | b \| c |" -> {"a", "b | c"}.
{
	std::vector<std::string> out;
	std::string current;
	for (std::size_t i = 1; i < row.size(); ++i)
	{
		if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|')
			current += row[++i];
		else if (row[i] == '|')
		{
			out.push_back(Poco::trim(current));
			current.clear();
		}
		else
			current += row[i];
	}
	return out;
}

std::string unquoted(std::string text)
{
	if (text.size() >= 2 && text.front() == '`' && text.back() == '`')
		return text.substr(1, text.size() - 2);
	if (text == "empty" || text == "\u2013" || text == "-")
		return "";
	return text;
}

struct Documented
{
	std::string defaultValue;
	std::string where;
	std::string live; // "" when the table has no live column, else "yes" or "no"
};

std::multimap<std::string, Documented> keyTables()
	/// Every row of every `| key | default | ...` table in README.md and docs/*.md.
{
	std::vector<std::string> files{"README.md"};
	for (const auto& entry: std::filesystem::directory_iterator(std::string(CAMSVC_SOURCE_DIR) + "/docs"))
		if (entry.path().extension() == ".md")
			files.push_back("docs/" + entry.path().filename().string());
	std::multimap<std::string, Documented> rows;
	for (const auto& file: files)
	{
		std::istringstream in(source(file));
		std::string line;
		int liveColumn = -1;
		bool inTable = false;
		for (int number = 1; std::getline(in, line); ++number)
		{
			if (line.rfind("|", 0) != 0)
			{
				inTable = false;
				continue;
			}
			auto c = cells(line);
			if (!inTable && c.size() >= 2 && c[0] == "key" && c[1] == "default")
			{
				inTable = true;
				liveColumn = -1;
				for (std::size_t i = 0; i < c.size(); ++i)
					if (c[i] == "live")
						liveColumn = static_cast<int>(i);
				continue;
			}
			if (!inTable || c.size() < 2 || c[0].rfind("`", 0) != 0 || c[0].find('.') == std::string::npos)
				continue;
			std::string live = liveColumn < 0 ? "" : (c.size() > static_cast<std::size_t>(liveColumn) && c[liveColumn] == "yes" ? "yes" : "no");
			// "`mqtt.username`, `mqtt.password`": one row for keys documented together.
			Poco::StringTokenizer names(c[0], ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
			for (const auto& name: names)
				rows.emplace(unquoted(name), Documented{unquoted(c[1]), file + ":" + std::to_string(number), live});
		}
	}
	return rows;
}

std::string familyName(const std::string& documented)
	/// "cameras.sources.<id>.url" and "cameras.sources.<…>" -> "cameras.sources".
{
	auto angle = documented.find(".<");
	return angle == std::string::npos ? "" : documented.substr(0, angle);
}

} // namespace

TEST(ConfigDocs, EtcPropertiesShowsEveryDeclaredKeyWithItsDefault)
{
	auto keys = declarations();
	ASSERT_GT(keys.size(), 100u);
	std::istringstream in(source("etc/camera-service.properties"));
	std::regex keyLine(R"(^#? ?([a-z][a-z0-9_]*(\.[a-z0-9_<>]+)+) ?= ?(.*)$)");
	std::set<std::string> shown;
	std::string line;
	for (int number = 1; std::getline(in, line); ++number)
	{
		std::smatch m;
		if (!std::regex_match(line, m, keyLine))
			continue;
		std::string key = m[1], value = Poco::trim(std::string(m[3]));
		bool commented = line[0] == '#';
		std::string where = "etc/camera-service.properties:" + std::to_string(number) + ": ";
		auto it = keys.find(key);
		if (it == keys.end())
		{
			std::string family = familyName(key);
			EXPECT_TRUE(familyOf(keys, key) || (!family.empty() && keys.count(family) && keys.at(family).family))
				<< where << key << " is not declared by the core or any plugin";
			continue;
		}
		shown.insert(key);
		if (!commented || !it->second.defaultValue.empty())
		{
			EXPECT_EQ(value, it->second.defaultValue) << where << key << ": the file shows another value than the declared default";
		}
	}
	for (const auto& [key, d]: keys)
	{
		if (!d.family)
		{
			EXPECT_TRUE(shown.count(key)) << key << " is declared but not in etc/camera-service.properties";
		}
	}
}

TEST(ConfigDocs, KeyTablesDocumentEveryDeclaredKeyAndOnlyThose)
{
	auto keys = declarations();
	auto rows = keyTables();
	for (const auto& [key, doc]: rows)
	{
		std::string family = familyName(key);
		auto it = keys.find(family.empty() ? key : family);
		if (it == keys.end() || (!family.empty() && !it->second.family))
		{
			ADD_FAILURE() << doc.where << ": " << key << " is documented but not declared";
			continue;
		}
		if (family.empty() || key == family + ".<\u2026>")
		{
			// A key without default may be documented with what unset means ("<state.directory>/api_keys.json").
			if (!it->second.defaultValue.empty())
			{
				EXPECT_EQ(doc.defaultValue, it->second.defaultValue) << doc.where << ": " << key << ": default differs from the declaration";
			}
			if (!doc.live.empty())
			{
				EXPECT_EQ(doc.live == "yes", it->second.live) << doc.where << ": " << key << ": live column differs from the declaration";
			}
		}
	}
	for (const auto& [key, d]: keys)
		EXPECT_TRUE(rows.count(d.family ? key + ".<\u2026>" : key)) << key << " is declared but in no key table of README.md or docs/*.md";
}

TEST(ConfigDocs, EveryDeclaredPathIsResolvedAgainstTheStartDirectory)
{
	// A relative path must mean the same after --daemon changed to "/" and on a reload.
	std::set<std::string> resolved(camsvc::core::pathKeys().begin(), camsvc::core::pathKeys().end());
	for (const auto& [key, d]: declarations())
		EXPECT_EQ(resolved.count(key) == 1, d.type == "path") << key << " (" << d.type << ") and StartPaths' pathKeys() disagree";
}
