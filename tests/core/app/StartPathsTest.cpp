//
// StartPathsTest.cpp
//
// Relative path keys become absolute against the start directory, whichever
// layer set them (file or --define), and references to them expand to the
// absolute path; absolute and empty values stay as they are.
//

#include "app/StartPaths.h"
#include <Poco/AutoPtr.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

namespace {

using Poco::Util::Application;

struct Layers
{
	Layers()
	{
		config->add(defines, "defines", Application::PRIO_APPLICATION, true);
		config->add(file, "file", Application::PRIO_DEFAULT, false);
	}

	Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
	Poco::AutoPtr<Poco::Util::MapConfiguration> defines = new Poco::Util::MapConfiguration;
	Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration;
};

TEST(StartPaths, RelativeValuesOfPathKeysBecomeAbsolute)
{
	Layers l;
	l.file->setString("state.directory", "state");
	l.file->setString("storage.recordings.path", "${state.directory}/recordings");
	l.file->setString("logging.file", "/var/log/camera-service/service.log");
	l.file->setString("plugins.directory", "");
	l.file->setString("server.websocket.path", "ws"); // not a path key: left alone
	l.defines->setString("auth.api_keys.file", "./keys/../api_keys.json");
	camsvc::core::resolveStartPaths(*l.config, camsvc::core::pathKeys(), "/srv/cams");
	EXPECT_EQ(l.config->getString("state.directory"), "/srv/cams/state");
	EXPECT_EQ(l.config->getString("storage.recordings.path"), "/srv/cams/state/recordings");
	EXPECT_EQ(l.config->getString("logging.file"), "/var/log/camera-service/service.log");
	EXPECT_EQ(l.config->getString("plugins.directory"), "");
	EXPECT_EQ(l.config->getString("server.websocket.path"), "ws");
	EXPECT_EQ(l.config->getString("auth.api_keys.file"), "/srv/cams/api_keys.json") << "a --define is resolved too";
	EXPECT_FALSE(l.config->has("mqtt.tls.ca_file")) << "unset keys stay unset";
}

TEST(StartPaths, ResolvingAgainReplacesTheLayer)
{
	// What a reload does: the file changed, the layer is rebuilt from it.
	Layers l;
	l.file->setString("state.directory", "state");
	camsvc::core::resolveStartPaths(*l.config, camsvc::core::pathKeys(), "/srv/cams");
	l.file->setString("state.directory", "other");
	camsvc::core::resolveStartPaths(*l.config, camsvc::core::pathKeys(), "/srv/cams");
	EXPECT_EQ(l.config->getString("state.directory"), "/srv/cams/other");
}

} // namespace
