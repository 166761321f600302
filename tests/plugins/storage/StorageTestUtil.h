//
// StorageTestUtil.h
//
// A temporary media tree with a catalog and a library over it, for the
// storage plugin's unit tests.
//

#ifndef CAMSVC_TEST_STORAGETESTUTIL_H
#define CAMSVC_TEST_STORAGETESTUTIL_H

#include "Catalog.h"
#include "MediaFiles.h"
#include "MediaLibrary.h"
#include <Poco/Logger.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <sys/time.h>
#include <unistd.h>

namespace camsvc::test {

struct MediaTree
	/// A temporary root with recordings/, snapshots/ and the catalog database.
{
	std::string root;
	std::unique_ptr<storage::Catalog> catalog;
	std::unique_ptr<storage::MediaLibrary> library;

	explicit MediaTree(storage::GuardConfig guard = {}): root(freshDir("camsvc-storage"))
	{
		open(guard);
	}

	~MediaTree()
	{
		library.reset();
		catalog.reset();
		std::filesystem::remove_all(root);
	}

	void open(storage::GuardConfig guard = {})
		/// (Re)opens catalog and library, like a restart.
	{
		library.reset();
		catalog.reset();
		catalog = std::make_unique<storage::Catalog>(root + "/storage.db");
		storage::LibraryConfig config{root + "/recordings", root + "/snapshots", guard};
		library = std::make_unique<storage::MediaLibrary>(*catalog, config, Poco::Logger::get("test.storage"));
	}

	sdk::MediaStore& store() { return *library; }
	std::string recordings() const { return library->directory(sdk::MediaKind::Recording); }
	std::string snapshots() const { return library->directory(sdk::MediaKind::Snapshot); }
};

} // namespace camsvc::test

#endif
