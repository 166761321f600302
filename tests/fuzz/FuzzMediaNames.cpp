//
// FuzzMediaNames.cpp
//
// libFuzzer target: media file names and download paths. The raw bytes are
// checked as a name of either kind and as the tail of a download URI
// (percent-decoded once, as the download route does). Whatever nameProblem()
// accepts must be a plain file name of the kind: not empty, at most
// MaxNameLength, no '/', '\', NUL or control character, not hidden (so never
// "." or ".."), an allowed extension. validCamera() accepts [A-Za-z0-9_-]{1,64} only.
//

#include "DownloadHandler.h"
#include "MediaNames.h"
#include <cstdio>
#include <cstdlib>

using namespace camsvc;
using namespace camsvc::storage;

namespace {

void check(sdk::MediaKind kind, const std::string& name)
{
	if (!nameProblem(kind, name).empty())
		return;
	const char* broken = nullptr;
	if (name.empty() || name.size() > MaxNameLength)
		broken = "length";
	else if (name[0] == '.')
		broken = "hidden or dot segment";
	else if (!allowedExtension(kind, extensionOf(name)))
		broken = "extension";
	for (unsigned char c: name)
		if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F)
			broken = "separator or control character";
	if (broken)
	{
		::fprintf(stderr, "accepted a bad name (%s): %s\n", broken, name.c_str());
		std::abort();
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	const std::string input(reinterpret_cast<const char*>(data), size);
	for (sdk::MediaKind kind: {sdk::MediaKind::Recording, sdk::MediaKind::Snapshot})
	{
		check(kind, input);
		const std::string prefix = kind == sdk::MediaKind::Recording ? "/files/recordings/" : "/files/snapshots/";
		check(kind, DownloadHandler::nameFromUri(prefix + input, prefix));
	}
	if (validCamera(input))
	{
		bool ok = !input.empty() && input.size() <= 64;
		for (unsigned char c: input)
			ok = ok && (std::isalnum(c) || c == '_' || c == '-');
		if (!ok)
		{
			::fprintf(stderr, "accepted a bad camera: %s\n", input.c_str());
			std::abort();
		}
	}
	return 0;
}
