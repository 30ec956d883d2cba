// RedisCache: the Cache on a Redis server through hiredis (synchronous API,
// a small pool of connections). Fails open: when Redis is down, slow,
// restarted or refuses AUTH, Get() answers kError (a miss to the caller) and
// Put() drops the value, both within the timeouts below, and the error is
// counted. A broken connection is dropped and re-opened on a later call, no
// sooner than `reconnect_backoff` after the failure, so a dead Redis costs
// the callers nothing but a counter increment.
//
// Values are stored with SET key value PX <ttl>; keys are used as given
// (see common/cache/parse_cache_key.h for the parse cache's key scheme).
//
// Thread-safety: safe to call concurrently; each call holds one pooled
// connection.
#ifndef GONGKAI_COMMON_CACHE_REDIS_CACHE_H_
#define GONGKAI_COMMON_CACHE_REDIS_CACHE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/cache/cache.h"

namespace gongkai {

struct RedisCacheOptions {
  // Redis server. Default: 127.0.0.1:6379.
  std::string host = "127.0.0.1";
  int port = 6379;
  // AUTH: with a non-empty `user`, "AUTH user password" (ACL); with only a
  // password, "AUTH password". Default: no AUTH.
  std::string user;
  std::string password;
  // Timeout of a TCP connect (plus AUTH). Default: 200 ms.
  absl::Duration connect_timeout = absl::Milliseconds(200);
  // Timeout of one GET/SET round trip. Default: 50 ms.
  absl::Duration command_timeout = absl::Milliseconds(50);
  // How long a connection that failed stays closed before a new attempt.
  // Default: 1 s.
  absl::Duration reconnect_backoff = absl::Seconds(1);
  // TTL of stored values. Default: 7 days.
  absl::Duration ttl = absl::Hours(24 * 7);
  // Pooled connections (concurrent calls beyond this wait). Default: 4.
  int connections = 4;
};

// Parses "host:port" (or "[v6]:port"). Errors: INVALID_ARGUMENT.
absl::Status ParseRedisAddress(absl::string_view address, RedisCacheOptions* options);

class RedisCache : public Cache {
 public:
  // Does not connect: the first call does (so a Redis that is down at
  // start-up is only a miss).
  explicit RedisCache(RedisCacheOptions options);
  ~RedisCache() override;

  CacheLookup Get(absl::string_view key) override;
  void Put(absl::string_view key, absl::string_view value) override;
  absl::string_view name() const override { return "redis"; }
  const CacheCounters& counters() const override { return counters_; }

  // Connection attempts that failed (connect, AUTH or a broken connection).
  uint64_t connection_failures() const { return connection_failures_.load(); }

 private:
  struct Connection;
  // The next pooled connection, in turn.
  Connection& Acquire();
  // redisCommand on a pooled connection (opened first if closed and not
  // backing off). Returns the redisReply*, or null on failure (then the
  // connection is closed and backs off).
  void* Command(const char* format, ...);

  const RedisCacheOptions options_;
  CacheCounters counters_;
  std::atomic<uint64_t> connection_failures_{0};
  std::atomic<uint64_t> next_{0};
  std::vector<std::unique_ptr<Connection>> pool_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CACHE_REDIS_CACHE_H_
