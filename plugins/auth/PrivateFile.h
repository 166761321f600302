//
// PrivateFile.h
//
// Small file and randomness helpers for secrets: files holding secrets or
// key hashes are written atomically (temp file + rename) with mode 0600, so a
// crash never leaves a truncated store and no other user can read them.
//

#ifndef CAMSVC_AUTH_PRIVATEFILE_H
#define CAMSVC_AUTH_PRIVATEFILE_H

#include <string>

namespace camsvc::auth {

std::string randomBytes(std::size_t count);
	/// count bytes from the kernel CSPRNG (getrandom). Throws Poco::IOException.

std::string randomToken(std::size_t bytes);
	/// bytes of randomness, base64url without padding (URL- and shell-safe).

void writePrivateFile(const std::string& path, const std::string& content);
	/// Writes content to path+".tmp.<pid>" with mode 0600, fsyncs and renames
	/// it over path. Throws Poco::FileException on failure.

bool createPrivateFile(const std::string& path, const std::string& content);
	/// Creates path (mode 0600) with content only if it does not exist yet
	/// (O_EXCL). Returns false if it already existed. Throws on other errors.

std::string readFileTrimmed(const std::string& path);
	/// The file's content without trailing whitespace. Throws Poco::FileException.

int fileMode(const std::string& path);
	/// The permission bits (e.g. 0600). Throws Poco::FileException.

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_PRIVATEFILE_H
