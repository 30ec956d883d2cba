// End to end: the three real server binaries (build/bin) started on free
// ports (port 0, the bound port read from the "listening" log line), two
// parse replicas behind the aggregate server's round_robin channel, a real
// redis-server as the shared cache. The shared seeds and corpus go through
// AggregateService and must give the in-process engine's roll-up; Redis is
// stopped mid-run (nothing fails), then restarted (Redis hits come back);
// a parse replica SIGKILLed during a batch loses no report (retries on the
// other replica); SIGTERM drains every server to a clean exit. Skipped
// without ../shared.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/engine/in_process_engine.h"
#include "common/regions/resolver.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/client/remote_engine.h"
#include "tests/services/testing/child_process.h"

namespace gongkai {
namespace {

using ::gongkai::testing::ChildProcess;
using ::gongkai::testing::HttpGet;
using ::gongkai::testing::MetricValue;
using ::gongkai::testing::PortFromLogLine;
using ::gongkai::testing::RedisProcess;

using Server = ::gongkai::testing::ServerProcess;

Server StartServer(const std::string& binary, const std::string& log,
                   std::vector<std::string> flags) {
  auto started = ::gongkai::testing::StartServerProcess(
      std::string(GONGKAI_BIN_DIR) + "/" + binary, log, flags);
  EXPECT_TRUE(started.ok()) << started.status();
  return started.ok() ? *std::move(started) : Server();
}

std::vector<Document> SharedDocuments(const std::filesystem::path& shared) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "seeds")) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(shared / "corpus")) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Document> documents;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    Document document;
    document.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    document.name = path.filename().string();
    documents.push_back(std::move(document));
  }
  return documents;
}

double RedisHits(const std::vector<Server*>& servers) {
  double hits = 0;
  for (Server* server : servers) {
    hits += MetricValue(HttpGet(server->metrics_port, "/metrics"),
                        "gongkai_cache_requests_total{tier=\"redis\",outcome=\"hit\"}");
  }
  return hits;
}

TEST(IntegrationTest, SharedCorpusThroughTheThreeServers) {
  const std::filesystem::path shared(GONGKAI_SHARED_DIR);
  if (!std::filesystem::exists(shared / "seeds")) {
    GTEST_SKIP() << "no " << shared << " (../shared absent)";
  }
  const std::vector<Document> documents = SharedDocuments(shared);
  ASSERT_GE(documents.size(), 5u);

  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-integration-");
  auto redis = RedisProcess::Start(dir);
  ASSERT_TRUE(redis.ok()) << redis.status();
  const std::vector<std::string> parse_flags = {
      "--redis=" + (*redis)->address(), "--lru_max_entries=0", "--redis_timeout_ms=100"};
  Server parse_a = StartServer("gongkai-parse-server", dir + "/parse-a.log", parse_flags);
  Server parse_b = StartServer("gongkai-parse-server", dir + "/parse-b.log", parse_flags);
  Server validate = StartServer("gongkai-validate-server", dir + "/validate.log", {});
  ASSERT_GT(parse_a.port, 0);
  ASSERT_GT(parse_b.port, 0);
  ASSERT_GT(validate.port, 0);
  Server aggregate = StartServer(
      "gongkai-aggregate-server", dir + "/aggregate.log",
      {absl::StrCat("--parse_targets=127.0.0.1:", parse_a.port, ",127.0.0.1:", parse_b.port),
       absl::StrCat("--validate_targets=127.0.0.1:", validate.port)});
  ASSERT_GT(aggregate.port, 0);

  RemoteEngineOptions options;
  options.endpoint = absl::StrCat("127.0.0.1:", aggregate.port);
  auto remote = NewRemoteEngine(options);
  ASSERT_TRUE(remote.ok()) << remote.status();

  auto resolver = RegionResolver::LoadDefault();
  ASSERT_TRUE(resolver.ok());
  InProcessEngine local(InProcessEngineOptions(), resolver->get());
  v1::AggregateOptions aggregate_options;
  aggregate_options.set_include_all_levels(true);
  aggregate_options.set_include_departments(true);
  auto expected = local.Aggregate(documents, aggregate_options);
  ASSERT_TRUE(expected.ok());

  auto same = [&](const v1::Rollup& rollup) {
    // The service also fills content_sha256 of documents that fail to
    // parse; compare everything else.
    v1::Rollup a = rollup;
    v1::Rollup b = *expected;
    for (auto* r : {&a, &b}) {
      for (auto& outcome : *r->mutable_reports()) {
        if (outcome.reason() == v1::EXCLUSION_REASON_PARSE_FAILED) outcome.clear_content_sha256();
      }
    }
    return google::protobuf::util::MessageDifferencer::Equals(a, b);
  };

  auto first = (*remote)->Aggregate(documents, aggregate_options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->reports_size(), static_cast<int>(documents.size()));
  EXPECT_TRUE(same(*first)) << first->DebugString();
  auto second = (*remote)->Aggregate(documents, aggregate_options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(same(*second));
  EXPECT_GT(RedisHits({&parse_a, &parse_b}), 0) << "second pass should hit Redis";

  // Redis stopped mid-run: nothing fails, nothing changes.
  (*redis)->Stop();
  auto without_redis = (*remote)->Aggregate(documents, aggregate_options);
  ASSERT_TRUE(without_redis.ok()) << without_redis.status();
  EXPECT_TRUE(same(*without_redis));
  double errors = 0;
  for (Server* server : {&parse_a, &parse_b}) {
    errors += MetricValue(HttpGet(server->metrics_port, "/metrics"),
                          "gongkai_cache_requests_total{tier=\"redis\",outcome=\"error\"}");
  }
  EXPECT_GT(errors, 0);

  // Restarted (empty): one pass stores again, the next one hits.
  ASSERT_TRUE((*redis)->Restart().ok());
  absl::SleepFor(absl::Milliseconds(1200));  // past the reconnect backoff
  const double hits_before = RedisHits({&parse_a, &parse_b});
  for (int pass = 0; pass < 3; ++pass) {
    auto again = (*remote)->Aggregate(documents, aggregate_options);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_TRUE(same(*again));
  }
  EXPECT_GT(RedisHits({&parse_a, &parse_b}), hits_before) << "hits did not come back";

  // A parse replica killed (SIGKILL) during a batch: calls that fail on it
  // are retried on the other replica, so no report is lost, then or after.
  {
    std::vector<Document> many;
    for (int copy = 0; copy < 4; ++copy) {
      for (const Document& document : documents) {
        Document renamed = document;
        renamed.name = absl::StrCat(copy, "-", document.name);
        many.push_back(std::move(renamed));
      }
    }
    std::thread killer([&] {
      absl::SleepFor(absl::Milliseconds(30));
      parse_b.process->Signal(SIGKILL);
    });
    auto during = (*remote)->Aggregate(many, aggregate_options);
    killer.join();
    ASSERT_TRUE(during.ok()) << during.status();
    ASSERT_EQ(during->reports_size(), static_cast<int>(many.size()));
    for (int i = 0; i < during->reports_size(); ++i) {
      const v1::ReportOutcome& outcome = during->reports(i);
      const v1::ReportOutcome& first_outcome =
          first->reports(i % static_cast<int>(documents.size()));
      EXPECT_EQ(outcome.reason() == v1::EXCLUSION_REASON_PARSE_FAILED,
                first_outcome.reason() == v1::EXCLUSION_REASON_PARSE_FAILED)
          << outcome.source() << ": " << outcome.detail();
    }
    EXPECT_EQ(parse_b.process->Wait(), 128 + SIGKILL);
    auto after = (*remote)->Aggregate(documents, aggregate_options);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_TRUE(same(*after));
  }

  // SIGTERM: every server left drains and exits 0.
  for (Server* server : {&aggregate, &parse_a, &validate}) {
    server->process->Signal(SIGTERM);
  }
  for (Server* server : {&aggregate, &parse_a, &validate}) {
    EXPECT_EQ(server->process->Wait(), 0);
    EXPECT_TRUE(server->process->Log().find("\"msg\":\"stopped\"") != std::string::npos);
  }
}

}  // namespace
}  // namespace gongkai
