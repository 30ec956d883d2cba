#include "common/cache/tiered_cache.h"

#include <utility>

namespace gongkai {

TieredCache::TieredCache(std::unique_ptr<Cache> first, std::unique_ptr<Cache> second)
    : first_(std::move(first)), second_(std::move(second)) {}

CacheLookup TieredCache::Get(absl::string_view key) {
  CacheLookup lookup = first_->Get(key);
  if (lookup.outcome != CacheOutcome::kHit) {
    lookup = second_->Get(key);
    if (lookup.outcome == CacheOutcome::kHit) first_->Put(key, lookup.value);
  }
  counters_.Count(lookup.outcome);
  return lookup;
}

void TieredCache::Put(absl::string_view key, absl::string_view value) {
  counters_.puts.fetch_add(1, std::memory_order_relaxed);
  first_->Put(key, value);
  second_->Put(key, value);
}

}  // namespace gongkai
