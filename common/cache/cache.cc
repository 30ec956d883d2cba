#include "common/cache/cache.h"

namespace gongkai {

const char* CacheOutcomeName(CacheOutcome outcome) {
  switch (outcome) {
    case CacheOutcome::kHit:
      return "hit";
    case CacheOutcome::kMiss:
      return "miss";
    case CacheOutcome::kError:
      return "error";
  }
  return "error";
}

void CacheCounters::Count(CacheOutcome outcome) {
  switch (outcome) {
    case CacheOutcome::kHit:
      hits.fetch_add(1, std::memory_order_relaxed);
      break;
    case CacheOutcome::kMiss:
      misses.fetch_add(1, std::memory_order_relaxed);
      break;
    case CacheOutcome::kError:
      errors.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

}  // namespace gongkai
