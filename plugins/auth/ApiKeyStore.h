//
// ApiKeyStore.h
//
// API keys: "csk_<16 hex id>_<43 chars of 256-bit randomness>". Only the
// SHA-256 of a key is stored (keys are high-entropy, so a fast hash is enough
// and keeps verification cheap), in a JSON file with mode 0600 that the server
// and camera-service-admin share. Writers take an flock on "<file>.lock",
// re-read the file, change it and rename a new file over it, so the server's
// last-used updates never lose a key the admin tool just created or revoked.
// The server re-reads the file when it changes (reloadIfChanged, polled, and
// on an unknown key id).
//

#ifndef CAMSVC_AUTH_APIKEYSTORE_H
#define CAMSVC_AUTH_APIKEYSTORE_H

#include <camsvc/sdk/Identity.h>
#include <Poco/DigestEngine.h>
#include <Poco/Timestamp.h>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace camsvc::auth {

struct ApiKeyRecord
	/// What is known about a key; never the key itself. Zero timestamps mean "none".
{
	std::string id;
	std::string name;
	sdk::Role role = sdk::Role::None;
	Poco::Timestamp created;
	Poco::Timestamp expires{0};
	bool revoked = false;
	Poco::Timestamp revokedAt{0};
	Poco::Timestamp lastUsed{0};

	bool expiresAtAll() const { return expires.epochMicroseconds() != 0; }
};

struct CreatedApiKey
{
	ApiKeyRecord record;
	std::string key; // shown to the user once, never stored
};

class ApiKeyStore
{
public:
	static constexpr const char* Prefix = "csk_";

	explicit ApiKeyStore(const std::string& path);
		/// Loads path if it exists (an absent file is an empty store; it is
		/// created on the first create()). Throws Poco::Exception if the file
		/// is unreadable or not a key store.

	ApiKeyStore(const ApiKeyStore&) = delete;
	ApiKeyStore& operator=(const ApiKeyStore&) = delete;

	static bool isApiKey(const std::string& token);
		/// True if token has the API key prefix (anything else is treated as a JWT).

	CreatedApiKey create(const std::string& name, sdk::Role role, int expiresDays = 0);
		/// Generates and stores a key; expiresDays 0 = never. Throws
		/// Poco::InvalidArgumentException (empty name, Role::None, negative days)
		/// or Poco::FileException. Thread-safe.

	bool revoke(const std::string& id);
		/// Marks the key revoked; false if no key has this id. Thread-safe.

	std::vector<ApiKeyRecord> list() const;
		/// All keys, ordered by creation. Thread-safe.

	sdk::Identity verify(const std::string& key, const Poco::Timestamp& now = Poco::Timestamp());
		/// The key's identity (userId = key id, method "api_key", expiresAt =
		/// its expiry or 9999-12-31 if none), or throws RpcError(-32001) with
		/// reason invalid_token, revoked or token_expired. Compares hashes in
		/// constant time; records last use in memory only. Thread-safe; takes
		/// a shared lock only. An unknown id makes it check the file for
		/// changes first, so a key just created by the admin tool works at once.

	bool flushLastUsed();
		/// Writes last-use times recorded since the previous flush; false if
		/// there was nothing to write. Throws Poco::Exception on I/O errors.

	bool reloadIfChanged();
		/// Re-reads the file if another process replaced it (inode, size or
		/// mtime changed); true if it did. Throws on a corrupt file (the old
		/// contents stay in use).

	const std::string& path() const { return _path; }

private:
	struct Entry
	{
		ApiKeyRecord record;
		Poco::DigestEngine::Digest hash;
		std::atomic<Poco::Timestamp::TimeVal> lastUsed{0};
	};
	using Entries = std::map<std::string, std::shared_ptr<Entry>>;
	struct FileStamp
	{
		unsigned long long inode = 0, size = 0;
		long long mtimeNs = 0;
		bool operator==(const FileStamp&) const = default;
	};

	std::shared_ptr<Entry> find(const std::string& id) const;
	template <class Change>
	void modify(Change change);
	Entries readFile(FileStamp& stamp) const;
	void writeFile(const Entries& entries);
	void install(Entries entries, const FileStamp& stamp);
	FileStamp currentStamp() const;
	static void keepNewerLastUsed(Entries& fresh, const Entries& current);
		/// Copies newer in-memory last-use times into entries just read.

	std::string _path;
	mutable std::shared_mutex _mutex; // guards _entries, _stamp
	Entries _entries;
	FileStamp _stamp;
	std::mutex _writeMutex;           // one in-process writer at a time
	std::atomic<bool> _dirty{false};  // last-use times not yet written
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_APIKEYSTORE_H
