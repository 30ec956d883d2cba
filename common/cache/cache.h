// Cache: a byte-string key/value store with per-entry TTL, used for parsed
// reports. Implementations: LruCache (in-process), RedisCache (hiredis),
// TieredCache (LRU first, then Redis).
//
// A cache never fails a request: Get() reports kError for a store that is
// down or slow and callers treat it as a miss; Put() swallows errors (they
// are counted). Every implementation counts its outcomes in CacheCounters so
// the metrics endpoint can export them.
//
// Thread-safety: implementations are safe to call concurrently.
#ifndef GONGKAI_COMMON_CACHE_CACHE_H_
#define GONGKAI_COMMON_CACHE_CACHE_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

enum class CacheOutcome {
  kHit,
  kMiss,
  // The store could not answer (down, timed out, bad reply): a miss to the
  // caller, an error to the metrics.
  kError,
};

// "hit", "miss", "error".
const char* CacheOutcomeName(CacheOutcome outcome);

struct CacheLookup {
  CacheOutcome outcome = CacheOutcome::kMiss;
  // The value when outcome == kHit; empty otherwise.
  std::string value;
};

// Monotonic counters of one cache tier.
struct CacheCounters {
  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> errors{0};      // failed lookups (counted as misses by callers)
  std::atomic<uint64_t> puts{0};
  std::atomic<uint64_t> put_errors{0};
  std::atomic<uint64_t> evictions{0};

  void Count(CacheOutcome outcome);
};

class Cache {
 public:
  virtual ~Cache() = default;

  virtual CacheLookup Get(absl::string_view key) = 0;
  // Stores `value` under `key` with the cache's TTL. Never fails the caller.
  virtual void Put(absl::string_view key, absl::string_view value) = 0;

  // Short name for metrics labels ("lru", "redis").
  virtual absl::string_view name() const = 0;
  // This tier's counters (a TieredCache returns the combined outcome of
  // each lookup; its tiers keep their own).
  virtual const CacheCounters& counters() const = 0;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CACHE_CACHE_H_
