// TieredCache: an in-process LRU in front of a shared store (Redis). Get()
// asks the first tier, then the second, and copies a second-tier hit into
// the first; Put() writes both. The second tier's errors surface as kError
// (a miss to the caller) only when the first tier missed too.
//
// Thread-safety: as safe as its tiers (both implementations are).
#ifndef GONGKAI_COMMON_CACHE_TIERED_CACHE_H_
#define GONGKAI_COMMON_CACHE_TIERED_CACHE_H_

#include <memory>

#include "common/cache/cache.h"

namespace gongkai {

class TieredCache : public Cache {
 public:
  TieredCache(std::unique_ptr<Cache> first, std::unique_ptr<Cache> second);

  CacheLookup Get(absl::string_view key) override;
  void Put(absl::string_view key, absl::string_view value) override;
  absl::string_view name() const override { return "tiered"; }
  const CacheCounters& counters() const override { return counters_; }

  Cache& first() { return *first_; }
  Cache& second() { return *second_; }

 private:
  std::unique_ptr<Cache> first_;
  std::unique_ptr<Cache> second_;
  CacheCounters counters_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CACHE_TIERED_CACHE_H_
