//
// Config.h
//
// How a plugin declares its configuration keys. Every key a plugin reads is
// declared once, in Plugin::declareConfig(): name, type, bounds or choices,
// default, one line of documentation, and whether a reload (SIGHUP) applies
// it live. The core checks the whole configuration against the declarations
// of the core and of every enabled plugin before any plugin loads, so a bad
// value stops the start with one line naming the key, the value and what was
// expected (exit 78), and `camera-service --check-config` prints it.
//
//     void declareConfig(ConfigSchema& schema) override
//     {
//         schema.declare(ConfigKey("hello.greeting", ConfigType::String, "Hello", "What hello.greet says first").maxLen(64));
//         schema.declare(ConfigKey("hello.repeat", ConfigType::Integer, "1", "How often it says it").range(1, 10).live());
//     }
//
// ABI: a ConfigKey never crosses the boundary as a struct. declare() is
// inline: it writes the key as a record (a JSON object, see sdk/README.md
// "ABI rules") that the host reads by member name, taking the default for a
// member an older plugin does not write.
//

#ifndef CAMSVC_SDK_CONFIG_H
#define CAMSVC_SDK_CONFIG_H

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <string>
#include <vector>

namespace camsvc {
namespace sdk {

enum class ConfigType
{
	String,   // any text (maxLen, values)
	Integer,  // a whole number, decimal (range)
	Number,   // a decimal number (range)
	Boolean,  // true/false, yes/no, on/off, 1/0
	List,     // comma-separated words (values: each must be one of them)
	Path      // a file system path; relative paths are relative to the working directory at start
};

inline const char* configTypeName(ConfigType t)
	/// The word records and --check-config use.
{
	switch (t)
	{
	case ConfigType::String:  return "string";
	case ConfigType::Integer: return "integer";
	case ConfigType::Number:  return "number";
	case ConfigType::Boolean: return "boolean";
	case ConfigType::List:    return "list";
	default:                  return "path";
	}
}

struct ConfigKey
	/// One declared key. Plugin-side value; see declare() for how it reaches the host.
{
	std::string name;            // full key: "<plugin>.<...>" ("cameras.encoder.crf")
	ConfigType type = ConfigType::String;
	std::string defaultValue;    // as it would be written in the file; "" = unset
	std::string summary;         // one line: what it does (docs, --check-config)
	double minimum = -1e300;     // Integer/Number: inclusive bounds
	double maximum = 1e300;
	std::size_t maxLength = 0;   // String: 0 = unlimited
	std::vector<std::string> choices; // String/List: allowed values, empty = any
	bool secret = false;         // shown masked by --check-config, never logged
	bool reloadable = false;     // a reload applies it live (Plugin::reload()); otherwise it needs a restart
	bool prefix = false;         // name is a prefix of keys the plugin reads itself ("cameras.sources."): not validated, but not unknown either

	ConfigKey() = default;
	ConfigKey(std::string n, ConfigType t, std::string def, std::string doc):
		name(std::move(n)), type(t), defaultValue(std::move(def)), summary(std::move(doc))
	{
	}
	ConfigKey& range(double lo, double hi) { minimum = lo; maximum = hi; return *this; }
	ConfigKey& maxLen(std::size_t n) { maxLength = n; return *this; }
	ConfigKey& values(std::vector<std::string> v) { choices = std::move(v); return *this; }
	ConfigKey& masked() { secret = true; return *this; }
	ConfigKey& live() { reloadable = true; return *this; }
	ConfigKey& family() { prefix = true; return *this; }

	Poco::JSON::Object::Ptr record() const
		/// The key as the record the host reads (members absent = defaults).
	{
		Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
		r->set("name", name);
		r->set("type", std::string(configTypeName(type)));
		r->set("default", defaultValue);
		r->set("summary", summary);
		if (minimum > -1e300)
			r->set("minimum", minimum);
		if (maximum < 1e300)
			r->set("maximum", maximum);
		if (maxLength)
			r->set("maxLength", static_cast<Poco::UInt64>(maxLength));
		if (!choices.empty())
		{
			Poco::JSON::Array::Ptr c = new Poco::JSON::Array;
			for (const auto& v: choices)
				c->add(v);
			r->set("choices", c);
		}
		r->set("secret", secret);
		r->set("reloadable", reloadable);
		r->set("prefix", prefix);
		return r;
	}
};

class ConfigSchema
	/// The host's table of declared keys. Implemented by the core; handed to
	/// Plugin::declareConfig() on the main thread, valid during that call only.
{
public:
	virtual ~ConfigSchema() = default;

	virtual void declareRecord(const Poco::JSON::Object::Ptr& record) = 0;
		/// Main thread, during declareConfig() only. Adds one key record.
		/// Throws std::invalid_argument for a malformed record or a name the
		/// core or another plugin already declared.

	void declare(const ConfigKey& key)
		/// Inline, compiled into the plugin: the key travels as a record.
	{
		declareRecord(key.record());
	}
};

} } // namespace camsvc::sdk

#endif // CAMSVC_SDK_CONFIG_H
