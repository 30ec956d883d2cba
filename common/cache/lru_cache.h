// LruCache: the in-process Cache, bounded by entries and by bytes (keys plus
// values), least recently used out first, with a TTL per entry.
//
// Thread-safety: safe to call concurrently (one mutex; lookups are O(1)).
#ifndef GONGKAI_COMMON_CACHE_LRU_CACHE_H_
#define GONGKAI_COMMON_CACHE_LRU_CACHE_H_

#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cache/cache.h"

namespace gongkai {

struct LruCacheOptions {
  // At most this many entries. Default: 10,000.
  size_t max_entries = 10000;
  // At most this many bytes of keys plus values; a single value larger than
  // this is not stored. Default: 128 MiB.
  size_t max_bytes = 128u << 20;
  // Entries older than this are misses. Default: 1 hour; zero = no expiry.
  absl::Duration ttl = absl::Hours(1);
  // Clock, for tests. Default: absl::Now.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class LruCache : public Cache {
 public:
  explicit LruCache(LruCacheOptions options = {});

  CacheLookup Get(absl::string_view key) override;
  void Put(absl::string_view key, absl::string_view value) override;
  absl::string_view name() const override { return "lru"; }
  const CacheCounters& counters() const override { return counters_; }

  size_t entries() const;
  size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    absl::Time expires;
  };
  using List = std::list<Entry>;

  void EraseLocked(List::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const LruCacheOptions options_;
  CacheCounters counters_;
  mutable std::mutex mu_;  // std::mutex: visible to ThreadSanitizer (Debian's Abseil is not)
  List order_ ABSL_GUARDED_BY(mu_);  // most recent first
  std::unordered_map<std::string, List::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CACHE_LRU_CACHE_H_
