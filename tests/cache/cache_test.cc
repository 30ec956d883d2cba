// Tests of the parse cache: LruCache bounds and TTL, the key scheme, and
// RedisCache / TieredCache against a real redis-server started on a free
// loopback port (stopped, paused and restarted to check that it fails open).
#include <signal.h>

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/cache/lru_cache.h"
#include "common/cache/parse_cache_key.h"
#include "common/cache/redis_cache.h"
#include "common/cache/tiered_cache.h"
#include "common/util/sha256.h"
#include "gtest/gtest.h"
#include "tests/services/testing/child_process.h"

namespace gongkai {
namespace {

using ::gongkai::testing::MakeTempDir;
using ::gongkai::testing::RedisProcess;

TEST(LruCacheTest, MissThenHit) {
  LruCache cache;
  EXPECT_EQ(cache.Get("k").outcome, CacheOutcome::kMiss);
  cache.Put("k", "value");
  CacheLookup lookup = cache.Get("k");
  EXPECT_EQ(lookup.outcome, CacheOutcome::kHit);
  EXPECT_EQ(lookup.value, "value");
  EXPECT_EQ(cache.counters().hits.load(), 1u);
  EXPECT_EQ(cache.counters().misses.load(), 1u);
}

TEST(LruCacheTest, OverwriteKeepsOneEntry) {
  LruCache cache;
  cache.Put("k", "one");
  cache.Put("k", "three");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 1u + 5u);
  EXPECT_EQ(cache.Get("k").value, "three");
}

TEST(LruCacheTest, EntryBoundEvictsLeastRecentlyUsed) {
  LruCacheOptions options;
  options.max_entries = 2;
  LruCache cache(options);
  cache.Put("a", "1");
  cache.Put("b", "2");
  EXPECT_EQ(cache.Get("a").outcome, CacheOutcome::kHit);  // b is now the oldest
  cache.Put("c", "3");
  EXPECT_EQ(cache.Get("b").outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Get("a").outcome, CacheOutcome::kHit);
  EXPECT_EQ(cache.Get("c").outcome, CacheOutcome::kHit);
  EXPECT_EQ(cache.counters().evictions.load(), 1u);
}

TEST(LruCacheTest, ByteBoundEvictsAndRefusesOversizedValues) {
  LruCacheOptions options;
  options.max_bytes = 10;
  LruCache cache(options);
  cache.Put("a", "1234");  // 5 bytes
  cache.Put("b", "1234");  // 10 bytes in all
  cache.Put("c", "1234");  // evicts a
  EXPECT_EQ(cache.Get("a").outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.bytes(), 10u);
  cache.Put("big", "12345678901");  // larger than the whole cache
  EXPECT_EQ(cache.Get("big").outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Get("b").outcome, CacheOutcome::kHit);
}

TEST(LruCacheTest, EntriesExpireAfterTtl) {
  absl::Time now = absl::FromUnixSeconds(1000);
  LruCacheOptions options;
  options.ttl = absl::Seconds(60);
  options.now = [&now] { return now; };
  LruCache cache(options);
  cache.Put("k", "v");
  now += absl::Seconds(59);
  EXPECT_EQ(cache.Get("k").outcome, CacheOutcome::kHit);
  now += absl::Seconds(2);
  EXPECT_EQ(cache.Get("k").outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.entries(), 0u);
}

TEST(ParseCacheKeyTest, VersionedContentKey) {
  const std::string sha = Sha256Hex("示例 report bytes");
  EXPECT_EQ(sha.size(), 64u);
  EXPECT_EQ(ParseCacheKey(sha, "", "", 0),
            "gongkai:parse:v" + std::to_string(kParseCacheSchema) + ":" + sha);
}

TEST(ParseCacheKeyTest, HintsChangeTheKey) {
  const std::string sha = Sha256Hex("x");
  const std::string plain = ParseCacheKey(sha, "", "", 0);
  const std::string with_year = ParseCacheKey(sha, "", "", 2021);
  const std::string with_region = ParseCacheKey(sha, "", "231005", 0);
  EXPECT_NE(plain, with_year);
  EXPECT_NE(with_year, with_region);
  EXPECT_EQ(with_year.rfind(plain + ":", 0), 0u);
  EXPECT_EQ(with_year, ParseCacheKey(sha, "", "", 2021));
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class RedisCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("gongkai-redis-");
    auto redis = RedisProcess::Start(dir_);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  RedisCacheOptions Options() const {
    RedisCacheOptions options;
    options.port = redis_->port();
    options.reconnect_backoff = absl::Milliseconds(100);
    options.connections = 2;
    return options;
  }

  std::string dir_;
  std::unique_ptr<RedisProcess> redis_;
};

TEST_F(RedisCacheTest, PutThenGet) {
  RedisCache cache(Options());
  EXPECT_EQ(cache.Get("gongkai:test:a").outcome, CacheOutcome::kMiss);
  const std::string binary("va\0lue\xff", 7);
  cache.Put("gongkai:test:a", binary);
  CacheLookup lookup = cache.Get("gongkai:test:a");
  ASSERT_EQ(lookup.outcome, CacheOutcome::kHit);
  EXPECT_EQ(lookup.value, binary);
  EXPECT_EQ(cache.counters().errors.load(), 0u);
}

TEST_F(RedisCacheTest, ValuesExpire) {
  RedisCacheOptions options = Options();
  options.ttl = absl::Milliseconds(150);
  RedisCache cache(options);
  cache.Put("gongkai:test:ttl", "v");
  EXPECT_EQ(cache.Get("gongkai:test:ttl").outcome, CacheOutcome::kHit);
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_EQ(cache.Get("gongkai:test:ttl").outcome, CacheOutcome::kMiss);
}

TEST_F(RedisCacheTest, StoppedRedisIsAMissAndRestartBringsHitsBack) {
  RedisCache cache(Options());
  cache.Put("gongkai:test:k", "v");
  ASSERT_EQ(cache.Get("gongkai:test:k").outcome, CacheOutcome::kHit);

  redis_->Stop();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(cache.Get("gongkai:test:k").outcome, CacheOutcome::kError);
    cache.Put("gongkai:test:k", "v");  // dropped, never throws or blocks
  }
  EXPECT_EQ(cache.counters().errors.load(), 20u);
  EXPECT_GE(cache.counters().put_errors.load(), 20u);
  EXPECT_GE(cache.connection_failures(), 1u);

  ASSERT_TRUE(redis_->Restart().ok());
  absl::SleepFor(absl::Milliseconds(300));  // past the reconnect backoff
  cache.Put("gongkai:test:k", "again");
  cache.Put("gongkai:test:k", "again");  // both pooled connections reconnect
  CacheLookup lookup = cache.Get("gongkai:test:k");
  if (lookup.outcome != CacheOutcome::kHit) lookup = cache.Get("gongkai:test:k");
  ASSERT_EQ(lookup.outcome, CacheOutcome::kHit);
  EXPECT_EQ(lookup.value, "again");
}

TEST_F(RedisCacheTest, PausedRedisTimesOutAsAnError) {
  RedisCacheOptions options = Options();
  options.command_timeout = absl::Milliseconds(50);
  RedisCache cache(options);
  cache.Put("gongkai:test:p", "v");
  redis_->process().Signal(SIGSTOP);
  EXPECT_EQ(cache.Get("gongkai:test:p").outcome, CacheOutcome::kError);
  redis_->process().Signal(SIGCONT);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(cache.Get("gongkai:test:p").outcome, CacheOutcome::kHit);
}

TEST(RedisCacheNoServerTest, UnreachableRedisFailsOpen) {
  RedisCacheOptions options;
  options.port = ::gongkai::testing::FreePort();  // nothing listens there
  RedisCache cache(options);
  EXPECT_EQ(cache.Get("k").outcome, CacheOutcome::kError);
  cache.Put("k", "v");
  EXPECT_EQ(cache.counters().put_errors.load(), 1u);
}

TEST(RedisAddressTest, ParsesHostPort) {
  RedisCacheOptions options;
  ASSERT_TRUE(ParseRedisAddress("redis.example:6380", &options).ok());
  EXPECT_EQ(options.host, "redis.example");
  EXPECT_EQ(options.port, 6380);
  ASSERT_TRUE(ParseRedisAddress("[::1]:7000", &options).ok());
  EXPECT_EQ(options.host, "::1");
  EXPECT_EQ(ParseRedisAddress("nohost", &options).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRedisAddress("h:99999", &options).code(), absl::StatusCode::kInvalidArgument);
}

class RedisAuthTest : public RedisCacheTest {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("gongkai-redis-auth-");
    auto redis = RedisProcess::Start(
        dir_, {"--requirepass", "示例-secret", "--user", "gongkai", "on", ">示例-acl-pw",
               "~gongkai:*", "+get", "+set", "+auth", "+ping"});
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }
};

TEST_F(RedisAuthTest, PasswordRequired) {
  RedisCache anonymous(Options());
  anonymous.Put("gongkai:test:a", "v");
  EXPECT_EQ(anonymous.Get("gongkai:test:a").outcome, CacheOutcome::kError);

  RedisCacheOptions wrong = Options();
  wrong.password = "wrong";
  RedisCache wrong_cache(wrong);
  EXPECT_EQ(wrong_cache.Get("gongkai:test:a").outcome, CacheOutcome::kError);

  RedisCacheOptions right = Options();
  right.password = "示例-secret";
  RedisCache cache(right);
  cache.Put("gongkai:test:a", "v");
  EXPECT_EQ(cache.Get("gongkai:test:a").outcome, CacheOutcome::kHit);
}

TEST_F(RedisAuthTest, AclUser) {
  RedisCacheOptions options = Options();
  options.user = "gongkai";
  options.password = "示例-acl-pw";
  RedisCache cache(options);
  cache.Put("gongkai:test:acl", "v");
  EXPECT_EQ(cache.Get("gongkai:test:acl").outcome, CacheOutcome::kHit);
  // The ACL allows only gongkai:* keys: another key is a refused command.
  EXPECT_EQ(cache.Get("other:key").outcome, CacheOutcome::kError);
}

TEST_F(RedisCacheTest, TieredCacheFillsTheFirstTierAndSurvivesRedisLoss) {
  auto lru = std::make_unique<LruCache>();
  LruCache* first = lru.get();
  TieredCache cache(std::move(lru), std::make_unique<RedisCache>(Options()));
  {
    // Another process stored the value in Redis only.
    RedisCache other(Options());
    other.Put("gongkai:test:t", "shared");
  }
  CacheLookup lookup = cache.Get("gongkai:test:t");
  ASSERT_EQ(lookup.outcome, CacheOutcome::kHit);
  EXPECT_EQ(first->Get("gongkai:test:t").value, "shared");

  cache.Put("gongkai:test:u", "local");
  redis_->Stop();
  EXPECT_EQ(cache.Get("gongkai:test:u").outcome, CacheOutcome::kHit);  // from the LRU
  EXPECT_EQ(cache.Get("gongkai:test:none").outcome, CacheOutcome::kError);
  EXPECT_EQ(cache.counters().hits.load(), 2u);
  EXPECT_EQ(cache.counters().errors.load(), 1u);
}

}  // namespace
}  // namespace gongkai
