//
// ApiKeyStore.cpp
//

#include "ApiKeyStore.h"
#include "AuthErrors.h"
#include "PrivateFile.h"
#include <camsvc/sdk/Time.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace camsvc::auth {

namespace {

constexpr std::size_t IdHexLength = 16;
constexpr std::size_t SecretBytes = 32;
constexpr std::size_t IdEnd = 4 + IdHexLength; // after "csk_<id>"
constexpr Poco::Timestamp::TimeDiff Second = 1000000; // Poco::Timestamp::resolution()
constexpr Poco::Timestamp::TimeDiff LastUsedResolution = Second; // skip atomic stores within 1 s

const Poco::Timestamp& noExpiry()
{
	static const Poco::Timestamp value = Poco::DateTime(9999, 12, 31, 23, 59, 59).timestamp();
	return value;
}

Poco::DigestEngine::Digest sha256(const std::string& text)
{
	Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
	engine.update(text);
	return engine.digest();
}

Poco::Dynamic::Var optionalTime(const Poco::Timestamp& ts)
{
	return ts.epochMicroseconds() == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(sdk::rfc3339(ts));
}

Poco::Timestamp parseTime(const Poco::JSON::Object& object, const std::string& name)
{
	if (!object.has(name) || object.isNull(name))
		return Poco::Timestamp(0);
	int tzd = 0;
	return Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FORMAT, object.getValue<std::string>(name), tzd).timestamp();
}

class FileLock
	/// An exclusive flock on "<store>.lock" for the scope: serializes writers
	/// across processes (server and admin tool).
{
public:
	explicit FileLock(const std::string& path)
	{
		_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (_fd < 0)
			throw Poco::CreateFileException(path, std::strerror(errno));
		while (::flock(_fd, LOCK_EX) != 0)
		{
			if (errno != EINTR)
			{
				::close(_fd);
				throw Poco::FileException("flock " + path, std::strerror(errno));
			}
		}
	}
	~FileLock()
	{
		::close(_fd); // releases the lock
	}
	FileLock(const FileLock&) = delete;
	FileLock& operator=(const FileLock&) = delete;

private:
	int _fd;
};

} // namespace

ApiKeyStore::ApiKeyStore(const std::string& path):
	_path(path)
{
	FileStamp stamp;
	Entries entries = readFile(stamp);
	install(std::move(entries), stamp);
}

bool ApiKeyStore::isApiKey(const std::string& token)
{
	return token.compare(0, std::strlen(Prefix), Prefix) == 0;
}

CreatedApiKey ApiKeyStore::create(const std::string& name, sdk::Role role, int expiresDays)
{
	checkGrant("name", name, role);
	if (expiresDays < 0)
		throw Poco::InvalidArgumentException("expires-days", "negative");

	CreatedApiKey created;
	std::string idBytes = randomBytes(IdHexLength / 2);
	created.record.id = Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(idBytes.begin(), idBytes.end()));
	created.record.name = name;
	created.record.role = role;
	created.record.created = Poco::Timestamp(Poco::Timestamp().epochTime() * Second);
	if (expiresDays > 0)
		created.record.expires = created.record.created + static_cast<Poco::Timestamp::TimeDiff>(expiresDays) * 86400 * Second;
	created.key = std::string(Prefix) + created.record.id + "_" + randomToken(SecretBytes);

	modify([&](Entries& entries)
	{
		auto entry = std::make_shared<Entry>();
		entry->record = created.record;
		entry->hash = sha256(created.key);
		entries[created.record.id] = entry;
	});
	return created;
}

bool ApiKeyStore::revoke(const std::string& id)
{
	bool found = false;
	modify([&](Entries& entries)
	{
		auto it = entries.find(id);
		if (it == entries.end())
			return;
		found = true;
		if (!it->second->record.revoked)
		{
			it->second->record.revoked = true;
			it->second->record.revokedAt = Poco::Timestamp(Poco::Timestamp().epochTime() * Second);
		}
	});
	return found;
}

std::vector<ApiKeyRecord> ApiKeyStore::list() const
{
	std::vector<ApiKeyRecord> result;
	{
		std::shared_lock lock(_mutex);
		for (const auto& [id, entry]: _entries)
		{
			result.push_back(entry->record);
			result.back().lastUsed = Poco::Timestamp(entry->lastUsed.load(std::memory_order_relaxed));
		}
	}
	std::stable_sort(result.begin(), result.end(), [](const ApiKeyRecord& a, const ApiKeyRecord& b)
	{
		return a.created < b.created;
	});
	return result;
}

sdk::Identity ApiKeyStore::verify(const std::string& key, const Poco::Timestamp& now)
{
	if (!isApiKey(key) || key.size() <= IdEnd + 1 || key[IdEnd] != '_')
		throw authenticationFailed(Reason::InvalidToken, "malformed API key");
	std::string id = key.substr(std::strlen(Prefix), IdHexLength);
	Poco::DigestEngine::Digest digest = sha256(key);

	std::shared_ptr<Entry> entry = find(id);
	if (!entry)
	{
		// A key the admin tool created a moment ago: look at the file now
		// rather than at the next poll (a stat; a read only if it changed).
		try
		{
			if (reloadIfChanged())
				entry = find(id);
		}
		catch (Poco::Exception&)
		{
			// A corrupt file: keep the keys already loaded; the poller logs it.
		}
	}
	if (!entry || !Poco::DigestEngine::constantTimeEquals(digest, entry->hash))
		throw authenticationFailed(Reason::InvalidToken, "unknown API key");
	const ApiKeyRecord& record = entry->record;
	if (record.revoked)
		throw authenticationFailed(Reason::Revoked, "API key revoked");
	if (record.expiresAtAll() && record.expires <= now)
		throw authenticationFailed(Reason::TokenExpired, "API key expired");

	Poco::Timestamp::TimeVal nowUs = now.epochMicroseconds();
	if (nowUs - entry->lastUsed.load(std::memory_order_relaxed) >= LastUsedResolution)
	{
		entry->lastUsed.store(nowUs, std::memory_order_relaxed);
		_dirty.store(true, std::memory_order_relaxed);
	}

	sdk::Identity identity;
	identity.userId = record.id;
	identity.role = record.role;
	identity.expiresAt = record.expiresAtAll() ? record.expires : noExpiry();
	identity.method = "api_key";
	return identity;
}

std::shared_ptr<ApiKeyStore::Entry> ApiKeyStore::find(const std::string& id) const
{
	std::shared_lock lock(_mutex);
	auto it = _entries.find(id);
	return it == _entries.end() ? nullptr : it->second;
}

bool ApiKeyStore::flushLastUsed()
{
	if (!_dirty.exchange(false))
		return false;
	try
	{
		modify([](Entries&) {}); // modify() merges in-memory last-use times
	}
	catch (...)
	{
		_dirty.store(true);
		throw;
	}
	return true;
}

bool ApiKeyStore::reloadIfChanged()
{
	FileStamp stamp = currentStamp();
	{
		std::shared_lock lock(_mutex);
		if (stamp == _stamp)
			return false;
	}
	Entries entries = readFile(stamp);
	install(std::move(entries), stamp);
	return true;
}

template <class Change>
void ApiKeyStore::modify(Change change)
{
	std::lock_guard<std::mutex> writer(_writeMutex);
	Poco::File(Poco::Path(_path).parent()).createDirectories();
	FileLock lock(_path + ".lock");
	FileStamp stamp;
	Entries entries = readFile(stamp); // the file may have changed under us
	{
		std::shared_lock readLock(_mutex);
		keepNewerLastUsed(entries, _entries);
	}
	change(entries);
	writeFile(entries);
	install(std::move(entries), currentStamp());
}

ApiKeyStore::Entries ApiKeyStore::readFile(FileStamp& stamp) const
{
	Entries entries;
	std::ifstream in(_path, std::ios::binary);
	if (!in)
	{
		if (Poco::File(_path).exists())
			throw Poco::OpenFileException(_path);
		stamp = FileStamp();
		return entries;
	}
	stamp = currentStamp();
	std::ostringstream text;
	text << in.rdbuf();
	try
	{
		Poco::JSON::Parser parser;
		Poco::JSON::Object::Ptr root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
		Poco::JSON::Array::Ptr keys = root->getArray("keys");
		if (!keys)
			throw Poco::DataFormatException("no \"keys\" array");
		for (std::size_t i = 0; i < keys->size(); ++i)
		{
			Poco::JSON::Object::Ptr item = keys->getObject(static_cast<unsigned>(i));
			if (!item)
				throw Poco::DataFormatException("key entry is not an object");
			auto entry = std::make_shared<Entry>();
			ApiKeyRecord& r = entry->record;
			r.id = item->getValue<std::string>("id");
			r.name = item->optValue<std::string>("name", "");
			if (!sdk::parseRole(item->getValue<std::string>("role"), r.role))
				throw Poco::DataFormatException("key " + r.id + ": unknown role");
			r.created = parseTime(*item, "created");
			r.expires = parseTime(*item, "expires");
			r.revoked = item->optValue<bool>("revoked", false);
			r.revokedAt = parseTime(*item, "revoked_at");
			entry->lastUsed.store(parseTime(*item, "last_used").epochMicroseconds());
			std::string hash = item->getValue<std::string>("hash");
			if (hash.compare(0, 7, "sha256:") != 0)
				throw Poco::DataFormatException("key " + r.id + ": unsupported hash");
			entry->hash = Poco::DigestEngine::digestFromHex(hash.substr(7));
			entries[r.id] = entry;
		}
	}
	catch (Poco::Exception& e)
	{
		throw Poco::DataFormatException("API key store " + _path, e.displayText());
	}
	return entries;
}

void ApiKeyStore::writeFile(const Entries& entries)
{
	Poco::JSON::Array::Ptr keys = new Poco::JSON::Array;
	for (const auto& [id, entry]: entries)
	{
		const ApiKeyRecord& r = entry->record;
		Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		item->set("id", r.id);
		item->set("name", r.name);
		item->set("role", std::string(sdk::roleName(r.role)));
		item->set("hash", "sha256:" + Poco::DigestEngine::digestToHex(entry->hash));
		item->set("created", sdk::rfc3339(r.created));
		item->set("expires", optionalTime(r.expires));
		item->set("revoked", r.revoked);
		item->set("revoked_at", optionalTime(r.revokedAt));
		item->set("last_used", optionalTime(Poco::Timestamp(entry->lastUsed.load(std::memory_order_relaxed))));
		keys->add(item);
	}
	Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
	root.set("version", 1);
	root.set("keys", keys);
	std::ostringstream out;
	root.stringify(out, 2);
	out << '\n';
	writePrivateFile(_path, out.str());
}

void ApiKeyStore::install(Entries entries, const FileStamp& stamp)
{
	std::unique_lock lock(_mutex);
	keepNewerLastUsed(entries, _entries); // uses recorded since the file was read
	_entries = std::move(entries);
	_stamp = stamp;
}

void ApiKeyStore::keepNewerLastUsed(Entries& fresh, const Entries& current)
{
	for (auto& [id, entry]: fresh)
	{
		auto it = current.find(id);
		if (it == current.end())
			continue;
		auto mine = it->second->lastUsed.load(std::memory_order_relaxed);
		if (mine > entry->lastUsed.load(std::memory_order_relaxed))
			entry->lastUsed.store(mine, std::memory_order_relaxed);
	}
}

ApiKeyStore::FileStamp ApiKeyStore::currentStamp() const
{
	struct stat st;
	if (::stat(_path.c_str(), &st) != 0)
		return FileStamp();
	FileStamp stamp;
	stamp.inode = st.st_ino;
	stamp.size = static_cast<unsigned long long>(st.st_size);
	stamp.mtimeNs = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
	return stamp;
}

} // namespace camsvc::auth
