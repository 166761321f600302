//
// ShardedMap.h
//
// A hash map split into shards, each with its own mutex, for state touched
// on every request (rate-limit buckets): threads working on different keys
// rarely meet on one lock, and no operation holds a lock for more than a
// bucket update. Shards are cache-line aligned to avoid false sharing.
//

#ifndef CAMSVC_AUTH_SHARDEDMAP_H
#define CAMSVC_AUTH_SHARDEDMAP_H

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace camsvc::auth {

template <class Key, class Value, class Hash = std::hash<Key>>
class ShardedMap
{
public:
	static constexpr std::size_t ShardCount = 64;

	template <class Fn>
	auto apply(const Key& key, Fn&& fn)
		/// Calls fn(Value&) under the key's shard lock, creating a
		/// value-initialized Value first if the key is new; returns fn's result.
	{
		Shard& shard = shardOf(key);
		std::lock_guard<std::mutex> lock(shard.mutex);
		return fn(shard.values[key]);
	}

	template <class Fn>
	bool find(const Key& key, Fn&& fn)
		/// Calls fn(Value&) under the shard lock if key is present; returns
		/// whether it was. Never inserts.
	{
		Shard& shard = shardOf(key);
		std::lock_guard<std::mutex> lock(shard.mutex);
		auto it = shard.values.find(key);
		if (it == shard.values.end())
			return false;
		fn(it->second);
		return true;
	}

	void insertBounded(const Key& key, Value value, std::size_t maxPerShard)
		/// Inserts or replaces; a shard that is full is emptied first (a cache's
		/// crude but O(1) eviction).
	{
		Shard& shard = shardOf(key);
		std::lock_guard<std::mutex> lock(shard.mutex);
		if (shard.values.size() >= maxPerShard)
			shard.values.clear();
		shard.values.insert_or_assign(key, std::move(value));
	}

	void erase(const Key& key)
	{
		Shard& shard = shardOf(key);
		std::lock_guard<std::mutex> lock(shard.mutex);
		shard.values.erase(key);
	}

	template <class Pred>
	std::size_t eraseIf(Pred&& pred)
		/// Removes every entry for which pred(key, Value&) is true, one shard
		/// at a time; returns how many were removed.
	{
		std::size_t removed = 0;
		for (Shard& shard: _shards)
		{
			std::lock_guard<std::mutex> lock(shard.mutex);
			for (auto it = shard.values.begin(); it != shard.values.end();)
			{
				if (pred(it->first, it->second))
				{
					it = shard.values.erase(it);
					++removed;
				}
				else
				{
					++it;
				}
			}
		}
		return removed;
	}

	std::size_t size() const
	{
		std::size_t total = 0;
		for (const Shard& shard: _shards)
		{
			std::lock_guard<std::mutex> lock(shard.mutex);
			total += shard.values.size();
		}
		return total;
	}

private:
	struct alignas(64) Shard
	{
		mutable std::mutex mutex;
		std::unordered_map<Key, Value, Hash> values;
	};

	Shard& shardOf(const Key& key)
	{
		// Mix the hash: std::hash<integer> is the identity, and connection
		// ids are sequential.
		std::size_t h = Hash()(key) * 0x9E3779B97F4A7C15ull;
		return _shards[(h >> 32) % ShardCount];
	}

	std::array<Shard, ShardCount> _shards;
};

} // namespace camsvc::auth

#endif // CAMSVC_AUTH_SHARDEDMAP_H
