#include "common/cache/lru_cache.h"

#include <utility>

namespace gongkai {

LruCache::LruCache(LruCacheOptions options) : options_(std::move(options)) {}

CacheLookup LruCache::Get(absl::string_view key) {
  CacheLookup lookup;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = index_.find(std::string(key));
    if (found != index_.end()) {
      auto it = found->second;
      if (options_.ttl > absl::ZeroDuration() && options_.now() >= it->expires) {
        EraseLocked(it);
      } else {
        order_.splice(order_.begin(), order_, it);
        lookup.outcome = CacheOutcome::kHit;
        lookup.value = it->value;
      }
    }
  }
  counters_.Count(lookup.outcome);
  return lookup;
}

void LruCache::Put(absl::string_view key, absl::string_view value) {
  const size_t size = key.size() + value.size();
  counters_.puts.fetch_add(1, std::memory_order_relaxed);
  if (size > options_.max_bytes || options_.max_entries == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto found = index_.find(std::string(key));
  if (found != index_.end()) EraseLocked(found->second);
  while (!order_.empty() &&
         (index_.size() >= options_.max_entries || bytes_ + size > options_.max_bytes)) {
    EraseLocked(std::prev(order_.end()));
    counters_.evictions.fetch_add(1, std::memory_order_relaxed);
  }
  order_.push_front(Entry{std::string(key), std::string(value),
                          options_.now() + options_.ttl});
  index_.emplace(order_.front().key, order_.begin());
  bytes_ += size;
}

void LruCache::EraseLocked(List::iterator it) {
  bytes_ -= it->key.size() + it->value.size();
  index_.erase(it->key);
  order_.erase(it);
}

size_t LruCache::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return index_.size();
}

size_t LruCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace gongkai
