// The parse cache a server builds from its ServerOptions: an LruCache, in
// front of a RedisCache when --redis is given (TieredCache). Each tier's
// counters are exported on `metrics`, plus
// gongkai_redis_connection_failures_total.
//
// Thread-safety: call once at start-up.
#ifndef GONGKAI_COMMON_SERVER_PARSE_CACHE_FACTORY_H_
#define GONGKAI_COMMON_SERVER_PARSE_CACHE_FACTORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/cache/cache.h"
#include "common/server/metrics.h"
#include "common/server/server_options.h"

namespace gongkai {

// Errors: INVALID_ARGUMENT for a malformed --redis address. A Redis that is
// down is not an error (the cache fails open).
absl::StatusOr<std::unique_ptr<Cache>> NewParseCache(const ServerOptions& options,
                                                     Metrics* metrics);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_PARSE_CACHE_FACTORY_H_
