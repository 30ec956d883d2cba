// ParseService through a real in-process gRPC server on port 0, over the
// real parser: same result as in-process, the cache (LRU, and Redis through
// a real redis-server that is stopped and restarted mid-test), and bad input
// over the wire (each with a precise code and message, the server staying
// up). Documents are synthetic (tools/corpusgen, titles with 示例) or the
// shared seeds (skipped when ../shared is absent).
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/cache/lru_cache.h"
#include "common/cache/parse_cache_key.h"
#include "common/cache/redis_cache.h"
#include "common/cache/tiered_cache.h"
#include "common/regions/resolver.h"
#include "common/util/sha256.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/parse/parse_service.h"
#include "spdlog/sinks/ostream_sink.h"
#include "tests/services/testing/child_process.h"
#include "tests/services/testing/in_process_server.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai {
namespace {

using ::gongkai::testing::InProcessServer;
using ::google::protobuf::util::MessageDifferencer;

std::string Synthetic(uint64_t index) {
  corpusgen::GeneratorOptions options;
  options.seed = 20261123;
  options.layouts = {corpusgen::Layout::kTsv};
  options.error_share = 0;
  return corpusgen::CorpusGenerator(options).Generate(index).bytes;
}

class ParseServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto resolver = RegionResolver::LoadDefault();
    ASSERT_TRUE(resolver.ok()) << resolver.status();
    resolver_ = resolver->release();
  }

  void StartServer(ServerOptions options = InProcessServer::DefaultOptions(),
                   std::unique_ptr<Cache> cache = std::make_unique<LruCache>()) {
    ParserOptions parser_options;
    parser_options.max_document_bytes = options.max_document_bytes;
    parser_ = std::make_unique<ReportParser>(parser_options, resolver_);
    cache_ = std::move(cache);
    server_ = std::make_unique<InProcessServer>(options);
    if (cache_ != nullptr) server_->metrics().AddCache(cache_.get());
    service_ = std::make_unique<ParseServiceImpl>(parser_.get(), cache_.get(),
                                                  server_->runtime());
    server_->Start({service_.get()});
    stub_ = v1::ParseService::NewStub(server_->Channel());
  }

  grpc::Status Call(const v1::ParseRequest& request, v1::ParseResponse* response,
                    int deadline_ms = 10000) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(deadline_ms));
    return stub_->Parse(&context, request, response);
  }

  static v1::ParseRequest Request(std::string bytes, std::string name = "示例.txt") {
    v1::ParseRequest request;
    request.set_document(std::move(bytes));
    request.set_file_name(std::move(name));
    return request;
  }

  // The server answers a good document after the bad input.
  void ExpectStillServing() {
    v1::ParseResponse response;
    grpc::Status status = Call(Request(Synthetic(0)), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // gRPC needs every service to outlive its server: stop the server first
  // (members are otherwise destroyed services-first).
  void TearDown() override {
    stub_.reset();
    server_.reset();
  }

  static RegionResolver* resolver_;
  std::unique_ptr<ReportParser> parser_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<InProcessServer> server_;
  std::unique_ptr<ParseServiceImpl> service_;
  std::unique_ptr<v1::ParseService::Stub> stub_;
};

RegionResolver* ParseServerTest::resolver_ = nullptr;

TEST_F(ParseServerTest, SameReportAsInProcessThenFromCache) {
  StartServer();
  const std::string bytes = Synthetic(1);
  v1::ParseResponse first;
  grpc::Status status = Call(Request(bytes), &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(first.from_cache());
  EXPECT_EQ(first.cache_key(), ParseCacheKey(Sha256Hex(bytes), "", "", 0));
  EXPECT_EQ(first.report().content_sha256(), Sha256Hex(bytes));
  EXPECT_GT(first.report().cells_size(), 0);

  Document document;
  document.bytes = bytes;
  document.name = "示例.txt";
  auto local = parser_->Parse(document);
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_TRUE(MessageDifferencer::Equals(first.report(), *local));

  v1::ParseResponse second;
  ASSERT_TRUE(Call(Request(bytes), &second).ok());
  EXPECT_TRUE(second.from_cache());
  EXPECT_TRUE(MessageDifferencer::Equals(first.report(), second.report()));
  EXPECT_EQ(cache_->counters().hits.load(), 1u);
}

TEST_F(ParseServerTest, CacheHitCarriesTheCallersFileName) {
  StartServer();
  const std::string bytes = Synthetic(2);
  v1::ParseResponse response;
  ASSERT_TRUE(Call(Request(bytes, "a.txt"), &response).ok());
  ASSERT_TRUE(Call(Request(bytes, "b.txt"), &response).ok());
  EXPECT_TRUE(response.from_cache());
  EXPECT_EQ(response.report().source_name(), "b.txt");
}

TEST_F(ParseServerTest, OmitNormalizedTextOnMissAndHit) {
  StartServer();
  const std::string bytes = Synthetic(5);
  v1::ParseResponse full;
  ASSERT_TRUE(Call(Request(bytes), &full).ok());
  ASSERT_FALSE(full.report().normalized_text().empty());
  ASSERT_GT(full.report().sections_size(), 0);
  v1::AnnualReport expected = full.report();
  expected.clear_normalized_text();

  // A hit (the full report was cached by the first call).
  v1::ParseRequest request = Request(bytes);
  request.set_omit_normalized_text(true);
  v1::ParseResponse trimmed;
  ASSERT_TRUE(Call(request, &trimmed).ok());
  EXPECT_TRUE(trimmed.from_cache());
  EXPECT_TRUE(MessageDifferencer::Equals(trimmed.report(), expected));

  // A miss: parsed, the whole report stored, the trimmed one answered.
  request.set_bypass_cache(true);
  ASSERT_TRUE(Call(request, &trimmed).ok());
  EXPECT_FALSE(trimmed.from_cache());
  EXPECT_TRUE(MessageDifferencer::Equals(trimmed.report(), expected));
  request.set_bypass_cache(false);
  request.set_omit_normalized_text(false);
  ASSERT_TRUE(Call(request, &trimmed).ok());
  EXPECT_TRUE(trimmed.from_cache());
  EXPECT_TRUE(MessageDifferencer::Equals(trimmed.report(), full.report()));
}

TEST_F(ParseServerTest, StatedHintsAreCachedSeparately) {
  StartServer();
  const std::string bytes = Synthetic(3);
  v1::ParseResponse plain;
  ASSERT_TRUE(Call(Request(bytes), &plain).ok());
  v1::ParseRequest with_year = Request(bytes);
  with_year.set_year(2021);
  v1::ParseResponse stated;
  ASSERT_TRUE(Call(with_year, &stated).ok());
  EXPECT_FALSE(stated.from_cache());
  EXPECT_NE(stated.cache_key(), plain.cache_key());
  EXPECT_EQ(stated.report().meta().year(), 2021);
}

TEST_F(ParseServerTest, BypassCacheParsesAgain) {
  StartServer();
  v1::ParseRequest request = Request(Synthetic(4));
  v1::ParseResponse response;
  ASSERT_TRUE(Call(request, &response).ok());
  request.set_bypass_cache(true);
  ASSERT_TRUE(Call(request, &response).ok());
  EXPECT_FALSE(response.from_cache());
}

TEST_F(ParseServerTest, EmptyDocument) {
  StartServer();
  v1::ParseResponse response;
  grpc::Status status = Call(Request(""), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "empty document"));
  ExpectStillServing();
}

TEST_F(ParseServerTest, JunkBytes) {
  StartServer();
  std::string junk;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(x >> 24));
  }
  v1::ParseResponse response;
  grpc::Status status = Call(Request(junk), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_FALSE(status.error_message().empty());
  EXPECT_EQ(status.error_message().find('\n'), std::string::npos);  // one line
  ExpectStillServing();
}

TEST_F(ParseServerTest, InvalidUtf8Document) {
  StartServer();
  // Lone continuation bytes and truncated sequences: not UTF-8, and not a
  // report in any encoding.
  std::string bad;
  for (int i = 0; i < 200; ++i) bad += "\x80\xbf\xc3(\xe2\x82";
  v1::ParseResponse response;
  grpc::Status status = Call(Request(bad), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  ExpectStillServing();
}

TEST_F(ParseServerTest, InvalidUtf8InAStringField) {
  StartServer();
  // proto3 `string` must be UTF-8: the server refuses to decode the request.
  v1::ParseResponse response;
  grpc::Status status = Call(Request(Synthetic(0), std::string("\xff\xfe.txt", 6)), &response);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "not UTF-8"));
  ExpectStillServing();
}

TEST_F(ParseServerTest, OverTheParserLimit) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_document_bytes = 100 << 10;
  StartServer(options);
  v1::ParseResponse response;
  grpc::Status status = Call(Request(std::string(200 << 10, 'a')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "over the limit of 102400 bytes"))
      << status.error_message();
  ExpectStillServing();
}

TEST_F(ParseServerTest, OverTheMessageLimit) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_message_bytes = 256 << 10;
  StartServer(options);
  v1::ParseResponse response;
  grpc::Status status = Call(Request(std::string(300 << 10, 'a')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "larger than max"))
      << status.error_message();
  ExpectStillServing();
}

TEST_F(ParseServerTest, BadHints) {
  StartServer();
  v1::ParseRequest request = Request(Synthetic(0));
  request.set_region_code("12ab56");
  v1::ParseResponse response;
  grpc::Status status = Call(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "region_code"));
  request.set_region_code("");
  request.set_year(-3);
  status = Call(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "year must be 0..9999"));
}

TEST_F(ParseServerTest, MissedDeadline) {
  StartServer();
  v1::ParseResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::milliseconds(1));
  grpc::Status status = stub_->Parse(&context, Request(Synthetic(5)), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ExpectStillServing();
}

TEST_F(ParseServerTest, AccessLogHasNoDocumentText) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured)));
  StartServer();
  const std::string marker = "示例机密标记QX7";
  v1::ParseResponse response;
  Call(Request(Synthetic(6) + "\n" + marker + "\n", "name-in-log.txt"), &response);
  Call(Request(marker), &response);  // fails to parse: the error is logged
  // The access log line is written as the call finishes, after the client has
  // its answer: stop the server before reading what was captured.
  stub_.reset();
  server_.reset();
  spdlog::set_default_logger(previous);
  const std::string log = captured.str();
  EXPECT_TRUE(absl::StrContains(log, "\"method\":\"Parse\"")) << log;
  EXPECT_FALSE(absl::StrContains(log, marker)) << log;
}

TEST_F(ParseServerTest, SeedsOverTheWireMatchInProcess) {
  const std::filesystem::path seeds =
      std::filesystem::path(GONGKAI_SHARED_DIR) / "seeds";
  if (!std::filesystem::exists(seeds)) GTEST_SKIP() << "no " << seeds << " (../shared absent)";
  StartServer();
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string name = entry.path().filename().string();
    v1::ParseResponse response;
    grpc::Status status = Call(Request(bytes, name), &response);
    Document document;
    document.bytes = bytes;
    document.name = name;
    auto local = parser_->Parse(document);
    ASSERT_EQ(status.ok(), local.ok()) << name;
    if (local.ok()) {
      EXPECT_TRUE(MessageDifferencer::Equals(response.report(), *local)) << name;
    } else {
      EXPECT_EQ(static_cast<int>(status.error_code()), static_cast<int>(local.status().code()));
      EXPECT_EQ(status.error_message(), local.status().message());
    }
    ++count;
  }
  EXPECT_EQ(count, 5);
}

TEST_F(ParseServerTest, RedisStoppedMidRunThenRestarted) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-parse-redis-");
  auto redis = ::gongkai::testing::RedisProcess::Start(dir);
  ASSERT_TRUE(redis.ok()) << redis.status();
  RedisCacheOptions redis_options;
  redis_options.port = (*redis)->port();
  redis_options.reconnect_backoff = absl::Milliseconds(100);
  auto redis_cache = std::make_unique<RedisCache>(redis_options);
  RedisCache* redis_tier = redis_cache.get();
  LruCacheOptions no_lru;
  no_lru.max_entries = 0;  // every hit must come from Redis
  StartServer(InProcessServer::DefaultOptions(),
              std::make_unique<TieredCache>(std::make_unique<LruCache>(no_lru),
                                            std::move(redis_cache)));
  const std::string bytes = Synthetic(7);
  v1::ParseResponse response;
  ASSERT_TRUE(Call(Request(bytes), &response).ok());
  ASSERT_TRUE(Call(Request(bytes), &response).ok());
  EXPECT_TRUE(response.from_cache());

  (*redis)->Stop();
  for (int i = 0; i < 10; ++i) {
    grpc::Status status = Call(Request(bytes), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.from_cache());
  }
  EXPECT_GE(redis_tier->counters().errors.load(), 10u);

  ASSERT_TRUE((*redis)->Restart().ok());
  bool hit = false;
  for (int i = 0; i < 50 && !hit; ++i) {
    ASSERT_TRUE(Call(Request(bytes), &response).ok());
    hit = response.from_cache();
    if (!hit) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(hit) << "no cache hit after Redis came back";
}

}  // namespace
}  // namespace gongkai
