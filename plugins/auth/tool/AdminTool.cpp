//
// AdminTool.cpp
//
// camera-service-admin: mints JWTs and manages API keys with the server's own
// configuration (same properties file, same --define overrides), through the
// same code the auth plugin uses (auth_impl), so a token it mints is exactly
// what the server accepts.
//
//   camera-service-admin [--config=FILE] [--define key=value] token --role R --user U [--ttl S]
//   camera-service-admin [...] keys create --name N --role R [--expires-days D]
//   camera-service-admin [...] keys list
//   camera-service-admin [...] keys revoke ID
//

#include "ApiKeyStore.h"
#include "AuthSettings.h"
#include "JwtCodec.h"
#include "JwtSecret.h"
#include <camsvc/sdk/Time.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <cstdio>
#include <iomanip>
#include <iostream>

using Poco::Util::Application;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace camsvc::auth {

class AdminTool: public Application
{
protected:
	void defineOptions(Poco::Util::OptionSet& options) override
	{
		Application::defineOptions(options);
		auto store = [&](const char* name, const char* shortName, const char* help, const char* arg)
		{
			options.addOption(Option(name, shortName, help).required(false).repeatable(false).argument(arg)
				.callback(OptionCallback<AdminTool>(this, &AdminTool::storeOption)));
		};
		options.addOption(Option("help", "h", "Show this help.").required(false).repeatable(false)
			.callback(OptionCallback<AdminTool>(this, &AdminTool::handleHelp)));
		options.addOption(Option("config", "c", "The server's properties file.").required(false).repeatable(false)
			.argument("FILE").callback(OptionCallback<AdminTool>(this, &AdminTool::handleConfig)));
		options.addOption(Option("define", "D", "Override a configuration property.").required(false).repeatable(true)
			.argument("key=value").callback(OptionCallback<AdminTool>(this, &AdminTool::handleDefine)));
		store("role", "r", "Role: viewer, operator or admin.", "ROLE");
		store("user", "u", "token: the user id (claims user_id and sub).", "USER");
		store("ttl", "t", "token: lifetime in seconds (default 3600).", "SECONDS");
		store("name", "n", "keys create: a name for the key.", "NAME");
		store("expires-days", "e", "keys create: days until the key expires (default: never).", "DAYS");
	}

	int main(const ArgVec& args) override
	{
		if (_helpRequested)
			return EXIT_OK;
		try
		{
			if (args.size() == 1 && args[0] == "token")
				return mintToken();
			if (args.size() == 2 && args[0] == "keys" && args[1] == "create")
				return createKey();
			if (args.size() == 2 && args[0] == "keys" && args[1] == "list")
				return listKeys();
			if (args.size() == 3 && args[0] == "keys" && args[1] == "revoke")
				return revokeKey(args[2]);
			std::cerr << "camera-service-admin: expected a command (token | keys create | keys list | keys revoke ID); see --help\n";
			return EXIT_USAGE;
		}
		catch (UsageError& e)
		{
			std::cerr << "camera-service-admin: " << e.what() << '\n';
			return EXIT_USAGE;
		}
		catch (Poco::Exception& e)
		{
			std::cerr << "camera-service-admin: " << e.displayText() << '\n';
			return EXIT_SOFTWARE;
		}
		catch (std::exception& e)
		{
			std::cerr << "camera-service-admin: " << e.what() << '\n';
			return EXIT_SOFTWARE;
		}
	}

private:
	struct UsageError: std::runtime_error
	{
		using std::runtime_error::runtime_error;
	};

	void handleHelp(const std::string&, const std::string&)
	{
		_helpRequested = true;
		Poco::Util::HelpFormatter help(options());
		help.setCommand(commandName());
		help.setUsage("[options] token | keys create | keys list | keys revoke ID");
		help.setHeader("Mints JWTs and manages API keys of camera-service, using the server's configuration.");
		help.format(std::cout);
		stopOptionsProcessing();
	}

	void handleConfig(const std::string&, const std::string& value)
	{
		loadConfiguration(value);
	}

	void handleDefine(const std::string&, const std::string& value)
	{
		auto eq = value.find('=');
		if (eq == std::string::npos)
			config().setString(value, "");
		else
			config().setString(value.substr(0, eq), value.substr(eq + 1));
	}

	void storeOption(const std::string& name, const std::string& value)
	{
		_options[name] = value;
	}

	std::string option(const std::string& name, const std::string& fallback = "") const
	{
		auto it = _options.find(name);
		if (it != _options.end())
			return it->second;
		if (fallback.empty())
			throw UsageError("missing --" + name);
		return fallback;
	}

	int intOption(const std::string& name, const std::string& fallback) const
	{
		int value = 0;
		if (!Poco::NumberParser::tryParse(option(name, fallback), value) || value < 0)
			throw UsageError("--" + name + " must be a non-negative integer");
		return value;
	}

	sdk::Role roleOption() const
	{
		sdk::Role role;
		if (!sdk::parseRole(option("role"), role))
			throw UsageError("--role must be viewer, operator or admin");
		return role;
	}

	AuthSettings settings() const
	{
		return AuthSettings::fromConfig(config());
	}

	int mintToken()
	{
		sdk::Role role = roleOption();
		std::string user = option("user");
		int ttl = intOption("ttl", "3600");
		AuthSettings s = settings();
		JwtSecret secret = loadJwtSecret(s, false);
		JwtCodec codec(secret.value, s.algorithms, s.clockSkewSeconds);
		std::cout << codec.issue(user, role, ttl, *s.algorithms.begin()) << std::endl;
		return EXIT_OK;
	}

	int createKey()
	{
		sdk::Role role = roleOption();
		std::string name = option("name");
		int days = intOption("expires-days", "0");
		ApiKeyStore store(settings().apiKeysFile);
		CreatedApiKey created = store.create(name, role, days);
		std::cerr << "Created API key " << created.record.id << " (" << name << ", " << sdk::roleName(role)
			<< ", expires " << (days ? sdk::rfc3339(created.record.expires) : std::string("never"))
			<< ") in " << store.path() << ".\nCopy it now; it cannot be shown again:\n";
		std::cout << created.key << std::endl;
		return EXIT_OK;
	}

	int listKeys()
	{
		ApiKeyStore store(settings().apiKeysFile);
		std::cout << std::left << std::setw(18) << "ID" << std::setw(20) << "NAME" << std::setw(10) << "ROLE"
			<< std::setw(22) << "CREATED" << std::setw(22) << "EXPIRES" << std::setw(22) << "LAST USED" << "STATUS\n";
		Poco::Timestamp now;
		for (const ApiKeyRecord& r: store.list())
		{
			std::string status = r.revoked ? "revoked" : (r.expiresAtAll() && r.expires <= now ? "expired" : "active");
			std::cout << std::setw(18) << r.id << std::setw(20) << r.name << std::setw(10) << sdk::roleName(r.role)
				<< std::setw(22) << sdk::rfc3339(r.created)
				<< std::setw(22) << (r.expiresAtAll() ? sdk::rfc3339(r.expires) : "never")
				<< std::setw(22) << (r.lastUsed.epochMicroseconds() ? sdk::rfc3339(r.lastUsed) : "never")
				<< status << '\n';
		}
		return EXIT_OK;
	}

	int revokeKey(const std::string& id)
	{
		ApiKeyStore store(settings().apiKeysFile);
		if (!store.revoke(id))
		{
			std::cerr << "camera-service-admin: no API key with id " << id << '\n';
			return EXIT_DATAERR;
		}
		std::cout << "Revoked API key " << id << std::endl;
		return EXIT_OK;
	}

	bool _helpRequested = false;
	std::map<std::string, std::string> _options;
};

} // namespace camsvc::auth

POCO_APP_MAIN(camsvc::auth::AdminTool)
