#include "common/cache/redis_cache.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdarg>

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gongkai {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;


}  // namespace

absl::Status ParseRedisAddress(absl::string_view address, RedisCacheOptions* options) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address must be host:port, got \"", address, "\""));
  }
  absl::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis port must be 1..65535, got \"", address.substr(colon + 1), "\""));
  }
  options->host = std::string(host);
  options->port = port;
  return absl::OkStatus();
}

// One pooled connection; `context` is null while closed.
struct RedisCache::Connection {
  std::mutex mu;  // std::mutex: visible to ThreadSanitizer
  redisContext* context ABSL_GUARDED_BY(mu) = nullptr;
  absl::Time retry_after ABSL_GUARDED_BY(mu) = absl::InfinitePast();

  ~Connection() {
    std::lock_guard<std::mutex> lock(mu);
    if (context != nullptr) redisFree(context);
  }
};

RedisCache::RedisCache(RedisCacheOptions options) : options_(std::move(options)) {
  int n = std::max(1, options_.connections);
  for (int i = 0; i < n; ++i) pool_.push_back(std::make_unique<Connection>());
}

RedisCache::~RedisCache() = default;

RedisCache::Connection& RedisCache::Acquire() {
  const size_t start = next_.fetch_add(1, std::memory_order_relaxed);
  return *pool_[start % pool_.size()];
}

namespace {

// Opens and authenticates a connection, or returns null.
redisContext* Connect(const RedisCacheOptions& options) {
  redisContext* context = redisConnectWithTimeout(
      options.host.c_str(), options.port, absl::ToTimeval(options.connect_timeout));
  if (context == nullptr) return nullptr;
  if (context->err != 0) {
    redisFree(context);
    return nullptr;
  }
  redisSetTimeout(context, absl::ToTimeval(options.connect_timeout));
  if (!options.password.empty()) {
    Reply reply(static_cast<redisReply*>(
        options.user.empty()
            ? redisCommand(context, "AUTH %b", options.password.data(),
                           options.password.size())
            : redisCommand(context, "AUTH %b %b", options.user.data(),
                           options.user.size(), options.password.data(),
                           options.password.size())));
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
      redisFree(context);
      return nullptr;
    }
  }
  redisSetTimeout(context, absl::ToTimeval(options.command_timeout));
  return context;
}

}  // namespace

void* RedisCache::Command(const char* format, ...) {
  Connection& conn = Acquire();
  std::lock_guard<std::mutex> lock(conn.mu);
  if (conn.context == nullptr) {
    if (absl::Now() < conn.retry_after) return nullptr;
    conn.context = Connect(options_);
    if (conn.context == nullptr) {
      connection_failures_.fetch_add(1, std::memory_order_relaxed);
      conn.retry_after = absl::Now() + options_.reconnect_backoff;
      return nullptr;
    }
  }
  va_list args;
  va_start(args, format);
  void* reply = redisvCommand(conn.context, format, args);
  va_end(args);
  if (reply == nullptr || conn.context->err != 0) {
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(conn.context);
    conn.context = nullptr;
    connection_failures_.fetch_add(1, std::memory_order_relaxed);
    conn.retry_after = absl::Now() + options_.reconnect_backoff;
    return nullptr;
  }
  return reply;
}

CacheLookup RedisCache::Get(absl::string_view key) {
  CacheLookup lookup;
  Reply reply(static_cast<redisReply*>(Command("GET %b", key.data(), key.size())));
  if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
    lookup.outcome = CacheOutcome::kError;
  } else if (reply->type == REDIS_REPLY_STRING) {
    lookup.outcome = CacheOutcome::kHit;
    lookup.value.assign(reply->str, reply->len);
  } else {
    lookup.outcome = CacheOutcome::kMiss;  // REDIS_REPLY_NIL
  }
  counters_.Count(lookup.outcome);
  return lookup;
}

void RedisCache::Put(absl::string_view key, absl::string_view value) {
  counters_.puts.fetch_add(1, std::memory_order_relaxed);
  const std::string ttl_ms =
      absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.ttl)));
  Reply reply(static_cast<redisReply*>(Command("SET %b %b PX %s", key.data(),
                                               key.size(), value.data(),
                                               value.size(), ttl_ms.c_str())));
  if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
    counters_.put_errors.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace gongkai
