//
// StoragePlugin.cpp
//
// The "storage" plugin: owns the media files once written. load() opens the
// catalog, provides the MediaStore service and registers the methods and
// download routes; start() reconciles the catalog with the directories (before
// any capture plugin starts, since they depend on this one) and starts the
// maintenance thread (storage guard health, periodic retention).
//

#include "Catalog.h"
#include "DownloadHandler.h"
#include "MediaLibrary.h"
#include "Retention.h"
#include "StorageMethods.h"
#include <camsvc/sdk/PeriodicTask.h>
#include "FfmpegPlugin.h"
#include <camsvc/sdk/Plugin.h>
#include <Poco/Stopwatch.h>
#include <atomic>
#include <chrono>

namespace {

using namespace camsvc::sdk;
using namespace camsvc::storage;

class StoragePlugin: public camsvc::FfmpegPlugin // FFmpeg checked before load()
{
public:
	void declareConfig(ConfigSchema& schema) override
	{
		schema.declare(ConfigKey("storage.recordings.path", ConfigType::Path, "${state.directory}/recordings", "Recordings directory"));
		schema.declare(ConfigKey("storage.snapshots.path", ConfigType::Path, "${state.directory}/snapshots", "Snapshots directory"));
		schema.declare(ConfigKey("storage.catalog.path", ConfigType::Path, "${state.directory}/storage.db", "The catalog database (SQLite)"));
		schema.declare(ConfigKey("storage.guard.warn_percent", ConfigType::Number, "10", "Percent free below which storage is low").range(0, 100));
		schema.declare(ConfigKey("storage.guard.critical_percent", ConfigType::Number, "5", "Percent free below which storage is critical").range(0, 100));
		schema.declare(ConfigKey("storage.guard.reserve_bytes", ConfigType::Integer, "0", "Bytes counted as used on top of the disk's numbers").range(0, 9.2e18));
		schema.declare(ConfigKey("storage.guard.interval", ConfigType::Number, "30", "Seconds between storage health checks").range(0.1, 86400));
		schema.declare(ConfigKey("storage.retention.policy", ConfigType::String, "manual", "Retention until set_retention_policy stores one").values({"age", "size", "manual"}).live());
		schema.declare(ConfigKey("storage.retention.max_age_days", ConfigType::Number, "0", "age: delete recordings older than this").range(0, 36500).live());
		schema.declare(ConfigKey("storage.retention.max_size_gb", ConfigType::Number, "0", "size: delete the oldest beyond this total").range(0, 1e9).live());
		schema.declare(ConfigKey("storage.retention.enabled", ConfigType::Boolean, "false", "Run retention periodically").live());
		schema.declare(ConfigKey("storage.retention.interval", ConfigType::Number, "3600", "Seconds between periodic retention runs").range(0.1, 31536000).live());
	}

	static std::chrono::milliseconds retentionInterval(const Poco::Util::AbstractConfiguration& config)
	{
		return std::chrono::milliseconds(static_cast<long>(config.getDouble("storage.retention.interval", 3600) * 1000));
	}

	void reload() override
	{
		// Live: the retention policy the configuration gives (until set_retention_policy stores one) and its period.
		const auto& config = _host->config();
		_retention->setDefaults(RetentionPolicy::fromConfig(config));
		_retentionInterval = retentionInterval(config);
		_maintenance.setInterval(std::min(_guardInterval, _retentionInterval.load())); // the next pass at once
	}

	void load(Host& host) override
	{
		_host = &host;
		const auto& config = host.config();
		const std::string state = host.stateDirectory();
		LibraryConfig lib;
		lib.recordingsDir = config.getString("storage.recordings.path", state + "/recordings");
		lib.snapshotsDir = config.getString("storage.snapshots.path", state + "/snapshots");
		lib.guard.warnPercent = config.getDouble("storage.guard.warn_percent", 10);
		lib.guard.criticalPercent = config.getDouble("storage.guard.critical_percent", 5);
		lib.guard.reserveBytes = config.getUInt64("storage.guard.reserve_bytes", 0);
		_guardInterval = std::chrono::milliseconds(static_cast<long>(config.getDouble("storage.guard.interval", 30) * 1000));
		_retentionInterval = retentionInterval(config);

		_catalog = std::make_unique<Catalog>(config.getString("storage.catalog.path", state + "/storage.db"));
		_library = std::make_shared<MediaLibrary>(*_catalog, lib, host.logger());
		_retention = std::make_unique<RetentionStore>(*_catalog, RetentionPolicy::fromConfig(config));
		_methods = std::make_unique<StorageMethods>(*_library, *_retention, host.logger());
		_methods->onGuardCheck([this](const StorageCheck& check) { reportGuard(check); });
		_methods->registerWith(host);

		Counter& downloads = host.counter("storage_downloads_total", "File downloads started");
		Counter& bytes = host.counter("storage_download_bytes_total", "Bytes of file downloads answered (the range length of each)");
		for (auto [kind, prefix]: {std::pair{MediaKind::Recording, "/files/recordings/"}, std::pair{MediaKind::Snapshot, "/files/snapshots/"}})
		{
			HttpRoute route;
			route.pathPrefix = prefix;
			route.minRole = Role::Viewer;
			host.registerHttpRoute(route, DownloadHandler(*_library, kind, prefix, &downloads, &bytes));
		}
		host.provide<MediaStore>(_library);
	}

	void start() override
	{
		Poco::Stopwatch watch;
		watch.start();
		ReconcileReport r = _library->reconcile(true);
		_host->logger().information("catalog reconciled in %Ld ms: %z added, %z removed, %z updated, %z recovered, %z damaged; %z recordings, %z snapshots",
			watch.elapsed() / 1000, r.added, r.removed, r.updated, r.recovered, r.damaged,
			_catalog->count(MediaKind::Recording), _catalog->count(MediaKind::Snapshot));
		reportGuard(*_library->checkRoom(MediaKind::Recording, 0));
		_nextRetention = std::chrono::steady_clock::now() + _retentionInterval.load();
		_maintenance.start(std::min(_guardInterval, _retentionInterval.load()), [this] { maintain(); });
	}

	void stop() override
	{
		_maintenance.stop();
	}

private:
	void maintain()
		/// The storage guard's check every pass; retention when its interval is due.
	{
		try
		{
			reportGuard(*_library->checkRoom(MediaKind::Recording, 0));
			const std::chrono::milliseconds retentionInterval = _retentionInterval; // a reload may shorten it
			_nextRetention = std::min(_nextRetention, std::chrono::steady_clock::now() + retentionInterval);
			if (std::chrono::steady_clock::now() >= _nextRetention)
			{
				_nextRetention = std::chrono::steady_clock::now() + retentionInterval;
				RetentionPolicy policy = _retention->get();
				if (policy.periodic())
					_methods->applyPolicy(policy);
			}
		}
		catch (const std::exception& e)
		{
			_host->logger().error("storage maintenance failed: %s", std::string(e.what()));
		}
	}

	void reportGuard(const StorageCheck& check)
	{
		Health health = check.verdict == StorageVerdict::Ok ? Health::Healthy
			: check.verdict == StorageVerdict::Full ? Health::Unhealthy : Health::Degraded;
		std::string detail = std::string(verdictName(check.verdict)) + ": " + std::to_string(check.availableBytes)
			+ " bytes free (" + std::to_string(static_cast<int>(check.freePercent)) + " %)";
		int verdict = static_cast<int>(check.verdict);
		if (_lastVerdict.exchange(verdict) != verdict && check.verdict != StorageVerdict::Ok)
			_host->logger().warning("storage space %s", detail);
		_host->reportHealth("storage", health, detail);
	}

	Host* _host = nullptr;
	std::unique_ptr<Catalog> _catalog;
	std::shared_ptr<MediaLibrary> _library;
	std::unique_ptr<RetentionStore> _retention;
	std::unique_ptr<StorageMethods> _methods;
	std::chrono::milliseconds _guardInterval{30000};
	std::atomic<std::chrono::milliseconds> _retentionInterval{std::chrono::milliseconds(3600000)}; // reload() writes it
	std::atomic<int> _lastVerdict{0};
	std::chrono::steady_clock::time_point _nextRetention; // maintenance thread only (after start())
	PeriodicTask _maintenance; // last: stopped before the members it uses go
};

} // namespace

CAMSVC_PLUGIN(StoragePlugin, "storage", "1.0.0", "Media catalog, downloads, storage guard and retention")
