#include "common/server/parse_cache_factory.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/cache/lru_cache.h"
#include "common/cache/redis_cache.h"
#include "common/cache/tiered_cache.h"

namespace gongkai {

absl::StatusOr<std::unique_ptr<Cache>> NewParseCache(const ServerOptions& options,
                                                     Metrics* metrics) {
  LruCacheOptions lru;
  lru.max_entries = options.lru_max_entries;
  lru.max_bytes = options.lru_max_bytes;
  lru.ttl = absl::Seconds(options.cache_ttl_seconds);
  auto first = std::make_unique<LruCache>(lru);
  metrics->AddCache(first.get());
  if (options.redis.empty()) return std::unique_ptr<Cache>(std::move(first));

  RedisCacheOptions redis;
  if (absl::Status parsed = ParseRedisAddress(options.redis, &redis); !parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--redis: ", parsed.message()));
  }
  redis.user = options.redis_user;
  redis.password = options.redis_password;
  redis.command_timeout = absl::Milliseconds(options.redis_timeout_ms);
  redis.connect_timeout = absl::Milliseconds(4 * options.redis_timeout_ms);
  redis.ttl = absl::Seconds(options.cache_ttl_seconds);
  auto second = std::make_unique<RedisCache>(redis);
  metrics->AddCache(second.get());
  const RedisCache* observed = second.get();
  metrics->AddCollector([observed](std::string* out) {
    absl::StrAppend(out,
                    "# HELP gongkai_redis_connection_failures_total Redis connects, AUTHs "
                    "or connections that failed.\n"
                    "# TYPE gongkai_redis_connection_failures_total counter\n"
                    "gongkai_redis_connection_failures_total ",
                    observed->connection_failures(), "\n");
  });
  return std::unique_ptr<Cache>(
      std::make_unique<TieredCache>(std::move(first), std::move(second)));
}

}  // namespace gongkai
