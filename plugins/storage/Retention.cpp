#include "Retention.h"
#include <Poco/JSON/Parser.h>
#include <sstream>

namespace camsvc::storage {

namespace {

constexpr const char* PolicyKey = "retention_policy";
constexpr double BytesPerGb = 1e9;
constexpr Poco::Int64 MsPerDay = 86400000;

} // namespace

Poco::JSON::Object::Ptr RetentionPolicy::toJson() const
{
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
	o->set("policy_type", type);
	o->set("max_age_days", maxAgeDays);
	o->set("max_size_gb", maxSizeGb);
	o->set("enabled", enabled);
	return o;
}

RetentionPolicy RetentionPolicy::fromJson(const Poco::JSON::Object::Ptr& o)
{
	RetentionPolicy p;
	p.type = o->optValue<std::string>("policy_type", p.type);
	if (o->has("max_age_days"))
		p.maxAgeDays = o->get("max_age_days").convert<double>();
	if (o->has("max_size_gb"))
		p.maxSizeGb = o->get("max_size_gb").convert<double>();
	if (o->has("enabled"))
		p.enabled = o->get("enabled").convert<bool>();
	return p;
}

RetentionPolicy RetentionPolicy::fromConfig(const Poco::Util::AbstractConfiguration& config)
{
	RetentionPolicy p;
	p.type = config.getString("storage.retention.policy", p.type);
	p.maxAgeDays = config.getDouble("storage.retention.max_age_days", 0);
	p.maxSizeGb = config.getDouble("storage.retention.max_size_gb", 0);
	p.enabled = config.getBool("storage.retention.enabled", false);
	return p;
}

RetentionResult applyRetention(MediaLibrary& library, const RetentionPolicy& policy, Poco::Int64 nowMs)
{
	RetentionResult result;
	const bool byAge = policy.maxAgeDays > 0;
	const bool bySize = policy.maxSizeGb > 0;
	if (!byAge && !bySize)
		return result;
	Catalog& catalog = library.catalog();
	const Poco::Int64 cutoff = nowMs - static_cast<Poco::Int64>(policy.maxAgeDays * MsPerDay);
	const auto maxBytes = static_cast<Poco::Int64>(policy.maxSizeGb * BytesPerGb);
	Poco::Int64 total = catalog.totalSize(sdk::MediaKind::Recording) + catalog.totalSize(sdk::MediaKind::Snapshot);
	std::size_t skip = 0;
	for (;;)
	{
		// Oldest first, a batch at a time; rows that could not go are skipped.
		auto batch = catalog.oldestFinished(skip + 500);
		if (batch.size() <= skip)
			return result;
		for (std::size_t i = skip; i < batch.size(); ++i)
		{
			const MediaRecord& row = batch[i];
			bool tooOld = byAge && row.modified < cutoff;
			bool overSize = bySize && total > maxBytes;
			if (!tooOld && !overSize)
				return result;
			if (library.removeFinished(row))
			{
				++result.filesDeleted;
				result.bytesFreed += static_cast<std::uint64_t>(row.size);
				total -= row.size;
			}
			else
				++skip;
		}
	}
}

RetentionStore::RetentionStore(Catalog& catalog, RetentionPolicy defaults):
	_catalog(catalog), _defaults(std::move(defaults))
{
}

RetentionPolicy RetentionStore::get() const
{
	std::string json = _catalog.setting(PolicyKey, "");
	if (json.empty())
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _defaults;
	}
	return RetentionPolicy::fromJson(Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>());
}

void RetentionStore::setDefaults(RetentionPolicy defaults)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_defaults = std::move(defaults);
}

void RetentionStore::set(const RetentionPolicy& policy)
{
	std::ostringstream out;
	policy.toJson()->stringify(out);
	_catalog.setSetting(PolicyKey, out.str());
}

} // namespace camsvc::storage
