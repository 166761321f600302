//
// FakeV4l2Dir.h
//
// A directory of fake V4L2 nodes for libfake_v4l2.so (tests/support/
// fake_v4l2): plug() writes a node's JSON and renames it into place (one
// inotify IN_MOVED_TO, the node complete when it appears, as a kernel
// device node is); unplug() removes it. The library's path comes from
// $FAKE_V4L2_LIBRARY (set by ctest) for children that should load it.
//

#ifndef CAMSVC_TEST_FAKEV4L2DIR_H
#define CAMSVC_TEST_FAKEV4L2DIR_H

#include "support/ServerProcess.h"
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace camsvc::test {

class FakeV4l2Dir
{
public:
	FakeV4l2Dir(): _dir(makeTempDir("fake-v4l2"))
	{
		::setenv("FAKE_V4L2_DIR", _dir.c_str(), 1); // for this process (the rig reads it at every open)
	}
	~FakeV4l2Dir() { removeTree(_dir); }

	FakeV4l2Dir(const FakeV4l2Dir&) = delete;
	FakeV4l2Dir& operator=(const FakeV4l2Dir&) = delete;

	const std::string& dir() const { return _dir; }
	std::string path(const std::string& node) const { return _dir + "/" + node; }

	void plug(const std::string& node, const std::string& json) const
	{
		std::string temp = _dir + "/." + node + ".tmp";
		{
			std::ofstream out(temp);
			out << json;
			if (!out)
				throw std::runtime_error("cannot write " + temp);
		}
		if (std::rename(temp.c_str(), path(node).c_str()) != 0)
			throw std::runtime_error("cannot plug " + node);
	}

	void unplug(const std::string& node) const
	{
		if (std::remove(path(node).c_str()) != 0)
			throw std::runtime_error("cannot unplug " + node);
	}

	static std::string library()
	{
		const char* lib = std::getenv("FAKE_V4L2_LIBRARY");
		if (!lib)
			throw std::runtime_error("FAKE_V4L2_LIBRARY is not set (run the tests through ctest)");
		return lib;
	}

	static std::string camera(const std::string& formats, const std::string& card = "Fake UVC Camera",
		const std::string& bus = "usb-0000:00:14.0-1")
		/// A capture node's JSON; formats is the "formats" array's content.
	{
		return "{\"driver\":\"uvcvideo\",\"card\":\"" + card + "\",\"bus_info\":\"" + bus + "\",\"formats\":[" + formats + "]}";
	}

	static std::string metadataNode(const std::string& card = "Fake UVC Camera", const std::string& bus = "usb-0000:00:14.0-1")
	{
		return "{\"driver\":\"uvcvideo\",\"card\":\"" + card + "\",\"bus_info\":\"" + bus + "\",\"metadata\":true}";
	}

private:
	std::string _dir;
};

} // namespace camsvc::test

#endif // CAMSVC_TEST_FAKEV4L2DIR_H
