// Faults, limits and access control of the real server binaries (build/bin)
// on loopback, with a real redis-server: replicas SIGTERMed and SIGKILLed
// mid-batch, Redis paused and killed under load, the validate service down,
// every limit with its status code and message, TLS / mutual TLS / bearer
// tokens on every server and on the aggregate's own hop to parse/validate,
// Redis AUTH with an ACL user, and logs free of document text and secrets.
// Documents are synthetic (tools/corpusgen, titles with 示例). Tests skip
// only when openssl or redis-server is absent.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/engine/in_process_engine.h"
#include "common/regions/resolver.h"
#include "common/server/channels.h"
#include "gongkai/v1/aggregate_service.grpc.pb.h"
#include "gongkai/v1/parse_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/client/channel_engine.h"
#include "tests/services/testing/child_process.h"
#include "tests/services/testing/in_process_server.h"
#include "tests/services/testing/synthetic_documents.h"

namespace gongkai {
namespace {

using ::gongkai::testing::ChildProcess;
using ::gongkai::testing::HttpGet;
using ::gongkai::testing::MetricValue;
using ::gongkai::testing::PortFromLogLine;
using ::gongkai::testing::RedisProcess;

bool HaveRedis() { return std::filesystem::exists("/usr/bin/redis-server"); }
bool HaveOpenssl() { return std::filesystem::exists("/usr/bin/openssl"); }

// One server binary started on a free port (tests/services/testing).
struct Server : ::gongkai::testing::ServerProcess {
  std::string Metrics() const { return HttpGet(metrics_port, "/metrics"); }
  double Metric(const std::string& series) const { return MetricValue(Metrics(), series); }
};

Server StartServer(const std::string& dir, const std::string& binary, const std::string& name,
                   std::vector<std::string> flags) {
  auto started = ::gongkai::testing::StartServerProcess(
      std::string(GONGKAI_BIN_DIR) + "/" + binary, dir + "/" + name + ".log", flags);
  EXPECT_TRUE(started.ok()) << started.status();
  Server server;
  if (started.ok()) static_cast<::gongkai::testing::ServerProcess&>(server) = *std::move(started);
  return server;
}

std::vector<Document> SyntheticDocuments(int count, uint64_t seed, const std::string& marker = "") {
  return ::gongkai::testing::SyntheticDocuments(count, seed, /*error_share=*/0.1, marker);
}

v1::AggregateOptions AllLevels() {
  v1::AggregateOptions options;
  options.set_include_all_levels(true);
  options.set_include_departments(true);
  return options;
}

// The in-process roll-up of `documents` (the reference).
v1::Rollup InProcessRollup(const std::vector<Document>& documents) {
  auto resolver = RegionResolver::LoadDefault();
  EXPECT_TRUE(resolver.ok()) << resolver.status();
  InProcessEngine local(InProcessEngineOptions(), resolver->get());
  auto rollup = local.Aggregate(documents, AllLevels());
  EXPECT_TRUE(rollup.ok()) << rollup.status();
  return rollup.ok() ? *rollup : v1::Rollup();
}

// Equal up to content_sha256 of documents that failed to parse (the service
// fills it, the in-process engine does not).
bool SameRollup(v1::Rollup a, v1::Rollup b) {
  for (auto* r : {&a, &b}) {
    for (auto& outcome : *r->mutable_reports()) {
      if (outcome.reason() == v1::EXCLUSION_REASON_PARSE_FAILED) outcome.clear_content_sha256();
    }
  }
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

std::unique_ptr<ChannelEngine> Client(const ChannelEngineOptions& options) {
  auto engine = ChannelEngine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

std::unique_ptr<ChannelEngine> AggregateClient(const Server& aggregate) {
  ChannelEngineOptions options;
  options.aggregate_targets = aggregate.address();
  options.parse_targets = aggregate.address();
  return Client(options);
}

// ---------------------------------------------------------------------------
// 1, 2. A parse replica SIGTERMed (drain) or SIGKILLed (retries) while a
// batch streams through the aggregate: no failed call, nothing lost.

class ReplicaFaultTest : public ::testing::TestWithParam<int> {};

TEST_P(ReplicaFaultTest, BatchThroughAggregateLosesNothing) {
  const int signal_number = GetParam();
  const std::vector<Document> documents = SyntheticDocuments(400, 31);
  const v1::Rollup expected = InProcessRollup(documents);

  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-replica-");
  Server parse_a = StartServer(dir, "gongkai-parse-server", "parse-a", {});
  Server parse_b = StartServer(dir, "gongkai-parse-server", "parse-b", {});
  Server validate = StartServer(dir, "gongkai-validate-server", "validate", {});
  ASSERT_GT(parse_a.port, 0);
  ASSERT_GT(parse_b.port, 0);
  ASSERT_GT(validate.port, 0);
  Server aggregate = StartServer(
      dir, "gongkai-aggregate-server", "aggregate",
      {"--parse_targets=" + parse_a.address() + "," + parse_b.address(),
       "--validate_targets=" + validate.address(), "--aggregate_concurrency=8"});
  ASSERT_GT(aggregate.port, 0);
  auto client = AggregateClient(aggregate);
  ASSERT_NE(client, nullptr);

  absl::StatusOr<v1::Rollup> result;
  std::atomic<bool> batch_done{false};
  std::thread batch([&] {
    result = client->Aggregate(documents, AllLevels());
    batch_done = true;
  });
  // Strike once replica a has served a share of the batch (bounded wait).
  const std::string served = "gongkai_rpc_requests_total{method=\"Parse\",code=\"OK\"}";
  double served_by_a = 0;
  for (int i = 0; i < 3000 && served_by_a < 40 && !batch_done; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    served_by_a = parse_a.Metric(served);
  }
  EXPECT_GE(served_by_a, 40) << "replica a served too little before the fault";
  EXPECT_FALSE(batch_done.load()) << "the batch ended before the fault";
  parse_a.process->Signal(signal_number);
  batch.join();

  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->reports_size(), static_cast<int>(documents.size()));
  EXPECT_TRUE(SameRollup(*result, expected)) << "roll-up differs from the in-process one";
  const int exit_code = parse_a.process->Wait();
  if (signal_number == SIGTERM) {
    EXPECT_EQ(exit_code, 0);
    EXPECT_TRUE(absl::StrContains(parse_a.process->Log(), "\"msg\":\"stopped\""));
  } else {
    EXPECT_EQ(exit_code, 128 + SIGKILL);
  }
  // Replica b took over: it served the rest of the batch.
  EXPECT_GT(parse_b.Metric(served), 0);
  // The one Aggregate call succeeded (no failed call at the aggregate).
  EXPECT_EQ(aggregate.Metric("gongkai_rpc_requests_total{method=\"Aggregate\",code=\"OK\"}"), 1);
}

INSTANTIATE_TEST_SUITE_P(Signals, ReplicaFaultTest, ::testing::Values(SIGTERM, SIGKILL),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGTERM ? "Sigterm" : "Sigkill");
                         });

// ---------------------------------------------------------------------------
// 3. Redis paused (SIGSTOP) and killed under load: every Parse call succeeds
// within its deadline, and Redis hits come back after the restart.

TEST(RedisFaultTest, PausedAndRestartedUnderLoadNoFailedCalls) {
  if (!HaveRedis()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-redis-");
  auto redis = RedisProcess::Start(dir);
  ASSERT_TRUE(redis.ok()) << redis.status();
  Server parse = StartServer(dir, "gongkai-parse-server", "parse",
                             {"--redis=" + (*redis)->address(), "--lru_max_entries=0",
                              "--redis_timeout_ms=100"});
  ASSERT_GT(parse.port, 0);
  const std::vector<Document> documents = SyntheticDocuments(40, 5);
  ChannelEngineOptions options;
  options.parse_targets = parse.address();
  constexpr int kDeadlineMs = 3000;
  options.deadline_ms = kDeadlineMs;
  auto client = Client(options);
  ASSERT_NE(client, nullptr);

  // The reference report of each document, parsed without any cache.
  std::vector<v1::AnnualReport> reference;
  for (const Document& document : documents) {
    v1::ParseRequest request = ToParseRequest(document);
    request.set_bypass_cache(true);
    auto response = client->ParseWithResponse(request);
    ASSERT_TRUE(response.ok()) << response.status();
    reference.push_back(response->report());
  }
  std::atomic<int> calls{0}, failures{0}, late{0}, from_cache{0}, wrong{0};
  std::atomic<int64_t> max_latency_us{0};
  std::mutex first_error_mu;
  std::string first_error;
  auto pass = [&](int thread_index) {
    for (size_t i = thread_index; i < documents.size(); i += 4) {
      const absl::Time start = absl::Now();
      auto response = client->ParseWithResponse(ToParseRequest(documents[i]));
      const int64_t us = absl::ToInt64Microseconds(absl::Now() - start);
      ++calls;
      int64_t seen = max_latency_us.load();
      while (us > seen && !max_latency_us.compare_exchange_weak(seen, us)) {
      }
      if (us > kDeadlineMs * 1000) ++late;
      if (!response.ok()) {
        ++failures;
        std::lock_guard<std::mutex> lock(first_error_mu);
        if (first_error.empty()) first_error = response.status().ToString();
      } else {
        if (response->from_cache()) ++from_cache;
        if (!google::protobuf::util::MessageDifferencer::Equals(response->report(),
                                                                reference[i])) {
          ++wrong;
        }
      }
    }
  };
  // Load: 4 client threads, each call bounded by kDeadlineMs.
  auto load = [&](absl::Duration at_least) {
    const absl::Time until = absl::Now() + at_least;
    do {
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) threads.emplace_back(pass, t);
      for (auto& thread : threads) thread.join();
    } while (absl::Now() < until);
  };
  const std::string redis_hits = "gongkai_cache_requests_total{tier=\"redis\",outcome=\"hit\"}";
  const std::string redis_errors = "gongkai_cache_requests_total{tier=\"redis\",outcome=\"error\"}";

  load(absl::ZeroDuration());  // fills Redis
  load(absl::ZeroDuration());  // hits
  const double hits_warm = parse.Metric(redis_hits);
  EXPECT_GT(hits_warm, 0);

  // Paused: Redis accepts connections but never answers.
  (*redis)->process().Signal(SIGSTOP);
  std::thread pauser([&] {
    absl::SleepFor(absl::Seconds(1));
    (*redis)->process().Signal(SIGCONT);
  });
  load(absl::Seconds(1.5));
  pauser.join();
  EXPECT_GT(parse.Metric(redis_errors), 0) << "the pause should have timed out calls";

  // Killed under load, then restarted on the same port.
  std::thread killer([&] {
    absl::SleepFor(absl::Milliseconds(300));
    (*redis)->process().Signal(SIGKILL);
    (*redis)->process().Wait();
    absl::SleepFor(absl::Milliseconds(500));
    EXPECT_TRUE((*redis)->Restart().ok());
  });
  load(absl::Seconds(1.5));
  killer.join();

  // The cache recovers: hits come back (bounded: at most ~10 s of passes).
  const double hits_before = parse.Metric(redis_hits);
  from_cache = 0;
  for (int i = 0; i < 20 && parse.Metric(redis_hits) <= hits_before; ++i) {
    load(absl::ZeroDuration());
    absl::SleepFor(absl::Milliseconds(300));
  }
  EXPECT_GT(parse.Metric(redis_hits), hits_before) << "Redis hits did not come back";
  EXPECT_GT(from_cache.load(), 0);

  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_EQ(late.load(), 0);
  EXPECT_EQ(wrong.load(), 0) << "a response differs from the uncached parse";
  std::cout << "[ figures ] Parse calls under Redis faults: " << calls.load()
            << ", failed: " << failures.load() << ", max latency: "
            << max_latency_us.load() / 1000.0 << " ms (deadline " << kDeadlineMs << " ms)\n";
  ::testing::Test::RecordProperty("max_latency_ms", std::to_string(max_latency_us.load() / 1000));
  parse.process->Signal(SIGTERM);
  EXPECT_EQ(parse.process->Wait(), 0);
}

// ---------------------------------------------------------------------------
// 4. Validate service down: the batch succeeds, every parsed report is
// excluded as not validated, and no total is invented.

TEST(ValidateDownTest, ReportsAreNotValidatedNotAFailedBatch) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-validate-");
  Server parse = StartServer(dir, "gongkai-parse-server", "parse", {});
  Server validate = StartServer(dir, "gongkai-validate-server", "validate", {});
  ASSERT_GT(parse.port, 0);
  ASSERT_GT(validate.port, 0);
  Server aggregate = StartServer(dir, "gongkai-aggregate-server", "aggregate",
                                 {"--parse_targets=" + parse.address(),
                                  "--validate_targets=" + validate.address()});
  ASSERT_GT(aggregate.port, 0);
  validate.process->Signal(SIGKILL);
  EXPECT_EQ(validate.process->Wait(), 128 + SIGKILL);

  const std::vector<Document> documents = SyntheticDocuments(12, 9);
  auto client = AggregateClient(aggregate);
  ASSERT_NE(client, nullptr);
  auto result = client->Aggregate(documents, AllLevels());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->reports_size(), static_cast<int>(documents.size()));
  int not_validated = 0;
  for (const v1::ReportOutcome& outcome : result->reports()) {
    EXPECT_FALSE(outcome.included()) << outcome.source();
    EXPECT_FALSE(outcome.validated()) << outcome.source();
    EXPECT_EQ(outcome.findings_size(), 0) << outcome.source();
    if (outcome.reason() == v1::EXCLUSION_REASON_NOT_VALIDATED) ++not_validated;
    else EXPECT_EQ(outcome.reason(), v1::EXCLUSION_REASON_PARSE_FAILED) << outcome.source();
  }
  EXPECT_GT(not_validated, 0);
  for (const v1::RegionTotal& total : result->regions()) {
    EXPECT_EQ(total.reports_included(), 0) << total.DebugString();
    EXPECT_EQ(total.cells_size(), 0) << total.DebugString();
  }
}

// ---------------------------------------------------------------------------
// 5. Limits on the real binaries, each with its code and message; the server
// answers a normal call after each.

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::gongkai::testing::MakeTempDir("gongkai-faults-limits-");
    parse_ = StartServer(dir_, "gongkai-parse-server", "parse",
                         {"--max_document_bytes=20000", "--max_message_bytes=100000"});
    validate_ = StartServer(dir_, "gongkai-validate-server", "validate", {});
    ASSERT_GT(parse_.port, 0);
    ASSERT_GT(validate_.port, 0);
    aggregate_ = StartServer(dir_, "gongkai-aggregate-server", "aggregate",
                             {"--parse_targets=" + parse_.address(),
                              "--validate_targets=" + validate_.address(),
                              "--max_batch_items=3", "--max_in_flight=1"});
    ASSERT_GT(aggregate_.port, 0);
    parse_stub_ = v1::ParseService::NewStub(
        grpc::CreateChannel(parse_.address(), grpc::InsecureChannelCredentials()));
    aggregate_stub_ = v1::AggregateService::NewStub(
        grpc::CreateChannel(aggregate_.address(), grpc::InsecureChannelCredentials()));
    small_ = SyntheticDocuments(4, 3);
  }

  grpc::Status Parse(const std::string& bytes, int deadline_ms = 10000) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(deadline_ms));
    v1::ParseRequest request;
    request.set_document(bytes);
    v1::ParseResponse response;
    return parse_stub_->Parse(&context, request, &response);
  }

  grpc::Status AggregateBatch(int documents, int deadline_ms = 30000) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(deadline_ms));
    v1::AggregateBatchRequest request;
    for (int i = 0; i < documents; ++i) {
      *request.add_documents() = ToAggregateDocument(small_[i % small_.size()]);
    }
    v1::AggregateResponse response;
    return aggregate_stub_->AggregateBatch(&context, request, &response);
  }

  // The servers are up and serve a normal call.
  void ExpectStillUp() {
    EXPECT_TRUE(Parse(small_[0].bytes).ok());
    EXPECT_TRUE(AggregateBatch(2).ok());
    EXPECT_EQ(parse_.process->Running(), true);
    EXPECT_EQ(aggregate_.process->Running(), true);
  }

  std::string dir_;
  Server parse_, validate_, aggregate_;
  std::unique_ptr<v1::ParseService::Stub> parse_stub_;
  std::unique_ptr<v1::AggregateService::Stub> aggregate_stub_;
  std::vector<Document> small_;
};

TEST_F(LimitsTest, DocumentOverMaxDocumentBytes) {
  grpc::Status status = Parse(std::string(20001, 'x'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "document of 20001 bytes is over the limit of 20000 bytes");

  // Inside an aggregate call it is that document's outcome, not a failed call.
  grpc::ClientContext context;
  v1::AggregateBatchRequest request;
  request.add_documents()->set_document(std::string(20001, 'x'));
  *request.add_documents() = ToAggregateDocument(small_[0]);
  v1::AggregateResponse response;
  ASSERT_TRUE(aggregate_stub_->AggregateBatch(&context, request, &response).ok());
  ASSERT_EQ(response.rollup().reports_size(), 2);
  EXPECT_EQ(response.rollup().reports(0).reason(), v1::EXCLUSION_REASON_PARSE_FAILED);
  EXPECT_TRUE(absl::StrContains(response.rollup().reports(0).detail(),
                                "document of 20001 bytes is over the limit of 20000 bytes"))
      << response.rollup().reports(0).detail();
  EXPECT_NE(response.rollup().reports(1).reason(), v1::EXCLUSION_REASON_PARSE_FAILED);
  ExpectStillUp();
}

TEST_F(LimitsTest, MessageOverMaxMessageBytes) {
  grpc::Status status = Parse(std::string(150000, 'x'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  std::cout << "[ message ] " << status.error_message() << "\n";
  EXPECT_TRUE(absl::StrContains(status.error_message(), "larger than max"))
      << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "100000")) << status.error_message();
  ExpectStillUp();
}

TEST_F(LimitsTest, MoreDocumentsThanMaxBatchItems) {
  grpc::Status unary = AggregateBatch(4);
  EXPECT_EQ(unary.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(unary.error_message(), "4 items is over the limit of 3 per call (--max_batch_items)");

  ChannelEngineOptions options;
  options.aggregate_targets = aggregate_.address();
  auto client = Client(options);
  ASSERT_NE(client, nullptr);
  auto streamed = client->Aggregate(small_, AllLevels());
  EXPECT_EQ(streamed.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(streamed.status().message(),
            "4 items is over the limit of 3 per call (--max_batch_items)");
  ExpectStillUp();
}

TEST_F(LimitsTest, MoreCallsThanMaxInFlight) {
  // Hold the aggregate server's one slot with an open stream.
  grpc::ClientContext held;
  held.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::AggregateResponse held_response;
  auto stream = aggregate_stub_->Aggregate(&held, &held_response);
  v1::AggregateRequest first;
  *first.mutable_options() = AllLevels();
  ASSERT_TRUE(stream->Write(first));
  double in_flight = 0;
  for (int i = 0; i < 500 && in_flight < 1; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    in_flight = aggregate_.Metric("gongkai_rpc_in_flight");
  }
  ASSERT_EQ(in_flight, 1);

  grpc::Status busy = AggregateBatch(1);
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(busy.error_message(),
            "server busy: 1 calls already in flight (--max_in_flight); retry later");

  v1::AggregateRequest item;
  *item.mutable_document() = ToAggregateDocument(small_[0]);
  ASSERT_TRUE(stream->Write(item));
  ASSERT_TRUE(stream->WritesDone());
  grpc::Status finished = stream->Finish();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  EXPECT_EQ(held_response.rollup().reports_size(), 1);
  ExpectStillUp();
}

TEST_F(LimitsTest, MissedDeadline) {
  // A batch that cannot finish in 1 ms.
  grpc::Status aggregate = AggregateBatch(3, /*deadline_ms=*/1);
  EXPECT_EQ(aggregate.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << aggregate.error_message();
  grpc::Status parse = Parse(small_[1].bytes, /*deadline_ms=*/0);
  EXPECT_EQ(parse.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << parse.error_message();
  // The server may still be winding the expired batch down (the client gave
  // up at its deadline): bounded wait for the aggregate's in-flight gauge, or
  // the next call meets --max_in_flight 1.
  auto aggregate_in_flight = [this] {
    double in_flight = 1;
    for (int i = 0; i < 500 && in_flight != 0; ++i) {
      in_flight = aggregate_.Metric("gongkai_rpc_in_flight");
      if (in_flight != 0) absl::SleepFor(absl::Milliseconds(10));
    }
    return in_flight;
  };
  ASSERT_EQ(aggregate_in_flight(), 0);

  // A deadline that passes while the server holds the call: a stream the
  // client never finishes.
  grpc::ClientContext held;
  held.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  v1::AggregateResponse held_response;
  auto stream = aggregate_stub_->Aggregate(&held, &held_response);
  v1::AggregateRequest first;
  *first.mutable_options() = AllLevels();
  stream->Write(first);
  grpc::Status expired = stream->Finish();
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << expired.error_message();
  // The server let the call go.
  EXPECT_EQ(aggregate_in_flight(), 0);
  ExpectStillUp();
}

// ---------------------------------------------------------------------------
// 6. Access control: TLS with mutual TLS and bearer tokens on the three
// servers and on the aggregate's hop to parse/validate.

class AccessControlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveOpenssl()) return;
    dir_ = new std::string(::gongkai::testing::MakeTempDir("gongkai-faults-tls-"));
    made_ = ::gongkai::testing::MakeTestCertificates(*dir_).ok();
    std::ofstream(*dir_ + "/tokens.txt") << "tok-faults-right-4b1d\nsecond-token\n";
  }

  void SetUp() override {
    if (!made_) GTEST_SKIP() << "openssl is absent or could not make test certificates";
    const std::string d = *dir_;
    const std::vector<std::string> secure = {
        "--tls_cert=" + d + "/server.pem", "--tls_key=" + d + "/server.key",
        "--tls_ca=" + d + "/ca.pem", "--tls_require_client_cert",
        "--auth_token_file=" + d + "/tokens.txt"};
    const std::string run = ::gongkai::testing::MakeTempDir("gongkai-faults-tls-run-");
    parse_ = StartServer(run, "gongkai-parse-server", "parse", secure);
    validate_ = StartServer(run, "gongkai-validate-server", "validate", secure);
    ASSERT_GT(parse_.port, 0);
    ASSERT_GT(validate_.port, 0);
    std::vector<std::string> flags = secure;
    flags.push_back(absl::StrCat("--parse_targets=localhost:", parse_.port));
    flags.push_back(absl::StrCat("--validate_targets=localhost:", validate_.port));
    aggregate_ = StartServer(run, "gongkai-aggregate-server", "aggregate", flags);
    ASSERT_GT(aggregate_.port, 0);
  }

  // Client channel options: TLS with the client certificate and `token`.
  static ChannelOptions Secure(const std::string& token) {
    ChannelOptions channel;
    channel.tls = true;
    channel.tls_ca = *dir_ + "/ca.pem";
    channel.tls_cert = *dir_ + "/client.pem";
    channel.tls_key = *dir_ + "/client.key";
    channel.bearer_token = token;
    return channel;
  }

  static absl::Status ParseVia(const Server& server, const ChannelOptions& channel,
                               const Document& document) {
    ChannelEngineOptions options;
    options.parse_targets = absl::StrCat("localhost:", server.port);
    options.channel = channel;
    options.deadline_ms = 5000;
    auto engine = ChannelEngine::Create(options);
    if (!engine.ok()) return engine.status();
    return (*engine)->Parse(document).status();
  }

  static std::string* dir_;
  static bool made_;
  Server parse_, validate_, aggregate_;
};

std::string* AccessControlTest::dir_ = nullptr;
bool AccessControlTest::made_ = false;

TEST_F(AccessControlTest, AggregateOverTlsWithTokensEndToEnd) {
  const std::vector<Document> documents = SyntheticDocuments(20, 17);
  ChannelEngineOptions options;
  options.aggregate_targets = absl::StrCat("localhost:", aggregate_.port);
  options.channel = Secure("tok-faults-right-4b1d");
  auto client = Client(options);
  ASSERT_NE(client, nullptr);
  auto result = client->Aggregate(documents, AllLevels());
  ASSERT_TRUE(result.ok()) << result.status();
  // The aggregate reached parse and validate over mutual TLS with the token:
  // the same roll-up as in process, every parsed report validated.
  EXPECT_TRUE(SameRollup(*result, InProcessRollup(documents)));
  for (const v1::ReportOutcome& outcome : result->reports()) {
    EXPECT_NE(outcome.reason(), v1::EXCLUSION_REASON_NOT_VALIDATED) << outcome.source();
  }
  EXPECT_GT(parse_.Metric("gongkai_rpc_requests_total{method=\"Parse\",code=\"OK\"}"), 0);
  // The aggregate validates in batches (ValidateBatch) and falls back to
  // Validate per report: either counts (MetricValue is -1 when absent).
  const double validate_calls =
      std::max(0.0, validate_.Metric("gongkai_rpc_requests_total{method=\"Validate\",code=\"OK\"}")) +
      std::max(0.0, validate_.Metric("gongkai_rpc_requests_total{method=\"ValidateBatch\",code=\"OK\"}"));
  EXPECT_GT(validate_calls, 0);
}

TEST_F(AccessControlTest, BearerTokenRightWrongAndMissing) {
  const Document document = SyntheticDocuments(1, 2)[0];
  for (const Server* server : {&parse_, &aggregate_}) {
    EXPECT_TRUE(ParseVia(*server, Secure("tok-faults-right-4b1d"), document).ok());
    EXPECT_TRUE(ParseVia(*server, Secure("second-token"), document).ok());
    for (const std::string& token : {std::string("tok-faults-wrong-77aa"), std::string()}) {
      absl::Status status = ParseVia(*server, Secure(token), document);
      EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
      EXPECT_EQ(status.message(),
                "missing or wrong bearer token (metadata \"authorization: Bearer <token>\")");
    }
  }
}

TEST_F(AccessControlTest, HealthChecksNeedNoToken) {
  for (const Server* server : {&parse_, &validate_, &aggregate_}) {
    grpc::SslCredentialsOptions ssl;
    std::ifstream ca(*dir_ + "/ca.pem"), cert(*dir_ + "/client.pem"), key(*dir_ + "/client.key");
    ssl.pem_root_certs.assign(std::istreambuf_iterator<char>(ca), {});
    ssl.pem_cert_chain.assign(std::istreambuf_iterator<char>(cert), {});
    ssl.pem_private_key.assign(std::istreambuf_iterator<char>(key), {});
    auto channel = grpc::CreateChannel(absl::StrCat("localhost:", server->port),
                                       grpc::SslCredentials(ssl));
    // No "authorization" metadata on this channel: 1 = SERVING.
    EXPECT_EQ(::gongkai::testing::HealthCheck(channel), 1);
  }
}

TEST_F(AccessControlTest, ClientWithoutCertificateOrTlsIsRefused) {
  const Document document = SyntheticDocuments(1, 2)[0];
  for (const Server* server : {&parse_, &validate_, &aggregate_}) {
    ChannelOptions no_cert = Secure("tok-faults-right-4b1d");
    no_cert.tls_cert.clear();
    no_cert.tls_key.clear();
    ChannelEngineOptions options;
    options.parse_targets = absl::StrCat("localhost:", server->port);
    options.validate_targets = options.parse_targets;
    options.channel = no_cert;
    options.deadline_ms = 3000;
    auto engine = Client(options);
    ASSERT_NE(engine, nullptr);
    v1::AnnualReport report;
    report.mutable_meta()->set_organ("示例县人民政府");
    absl::Status status = server == &validate_
                              ? engine->Validate(report, nullptr, {}).status()
                              : engine->Parse(document).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;

    ChannelOptions plaintext;
    plaintext.bearer_token = "tok-faults-right-4b1d";
    options.channel = plaintext;
    auto insecure = Client(options);
    ASSERT_NE(insecure, nullptr);
    status = insecure->Parse(document).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  }
  // A client with a certificate still gets through afterwards.
  EXPECT_TRUE(ParseVia(parse_, Secure("tok-faults-right-4b1d"), document).ok());
}

// Runs `command` through the shell with stdout and stderr to files; the
// exit code (or -1 when the shell could not run it).
struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
CommandResult RunCommand(const std::string& dir, const std::string& command) {
  const std::string out = dir + "/cmd.out", err = dir + "/cmd.err";
  const int status = std::system(absl::StrCat(command, " >", out, " 2>", err).c_str());
  CommandResult run;
  if (status != -1 && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  std::ifstream o(out), e(err);
  run.out.assign(std::istreambuf_iterator<char>(o), {});
  run.err.assign(std::istreambuf_iterator<char>(e), {});
  return run;
}

TEST_F(AccessControlTest, CliEndpointOverMutualTlsWithTokenFileOrEnvironment) {
  const std::string cli = std::string(GONGKAI_BIN_DIR) + "/gongkai";
  if (!std::filesystem::exists(cli)) GTEST_SKIP() << cli << " is not built";
  const std::string run_dir = ::gongkai::testing::MakeTempDir("gongkai-faults-cli-");
  const std::string file = run_dir + "/示例.txt";
  std::ofstream(file, std::ios::binary) << SyntheticDocuments(1, 5)[0].bytes;
  const std::string d = *dir_;
  const std::string tls = absl::StrCat(" --tls_ca ", d, "/ca.pem --tls_cert=", d,
                                       "/client.pem --tls_key ", d, "/client.key");
  const std::string cli_env = "env -u GONGKAI_TOKEN " + cli;

  const CommandResult local = RunCommand(run_dir, cli_env + " parse " + file);
  ASSERT_EQ(local.exit_code, 0) << local.err;
  ASSERT_FALSE(local.out.empty());
  for (const Server* server : {&parse_, &aggregate_}) {
    const std::string endpoint = absl::StrCat(" --endpoint localhost:", server->port);
    // Token from --token_file (first line of the servers' own token file).
    const CommandResult with_file = RunCommand(
        run_dir, cli_env + endpoint + tls + " --token_file " + d + "/tokens.txt parse " + file);
    EXPECT_EQ(with_file.exit_code, 0) << with_file.err;
    EXPECT_EQ(with_file.out, local.out);
    // Token from $GONGKAI_TOKEN.
    const CommandResult with_env = RunCommand(
        run_dir, "env GONGKAI_TOKEN=second-token " + cli + endpoint + tls + " parse " + file);
    EXPECT_EQ(with_env.exit_code, 0) << with_env.err;
    EXPECT_EQ(with_env.out, local.out);
    // No token: exit 1 and one clear line on stderr.
    const CommandResult without = RunCommand(run_dir, cli_env + endpoint + tls + " parse " + file);
    EXPECT_EQ(without.exit_code, 1);
    EXPECT_TRUE(without.out.empty()) << without.out;
    EXPECT_EQ(std::count(without.err.begin(), without.err.end(), '\n'), 1) << without.err;
    EXPECT_TRUE(absl::StrContains(without.err, "missing or wrong bearer token")) << without.err;
  }
}

// Servers take their tokens from $GONGKAI_AUTH_TOKENS when --auth_token_file
// is not given; the file wins when both are.
TEST(ServerTokensTest, FromEnvironmentAndFileWins) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-envtok-");
  std::ofstream(dir + "/tokens.txt") << "file-token-9c\n";
  const Document document = SyntheticDocuments(1, 3)[0];
  auto parse_with = [&](const Server& server, const std::string& token) {
    ChannelEngineOptions options;
    options.parse_targets = server.address();
    options.channel.bearer_token = token;
    options.deadline_ms = 5000;
    auto engine = Client(options);
    return engine == nullptr ? absl::InternalError("no client")
                             : engine->Parse(document).status();
  };
  ::setenv("GONGKAI_AUTH_TOKENS", "env-token-1a, env-token-2b\nenv-token-3c", 1);
  Server env_only = StartServer(dir, "gongkai-parse-server", "env", {});
  Server file_wins = StartServer(dir, "gongkai-parse-server", "file",
                                 {"--auth_token_file=" + dir + "/tokens.txt"});
  ::setenv("GONGKAI_AUTH_TOKENS", " , ", 1);
  std::unique_ptr<ChildProcess> no_token;
  {
    auto started = ChildProcess::Start(
        {std::string(GONGKAI_BIN_DIR) + "/gongkai-parse-server", "--port=0"},
        dir + "/empty.log");
    ASSERT_TRUE(started.ok()) << started.status();
    no_token = *std::move(started);
  }
  ::unsetenv("GONGKAI_AUTH_TOKENS");
  ASSERT_GT(env_only.port, 0);
  ASSERT_GT(file_wins.port, 0);

  EXPECT_TRUE(parse_with(env_only, "env-token-1a").ok());
  EXPECT_TRUE(parse_with(env_only, "env-token-3c").ok());
  EXPECT_EQ(parse_with(env_only, "file-token-9c").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(parse_with(env_only, "").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(parse_with(file_wins, "file-token-9c").ok());
  EXPECT_EQ(parse_with(file_wins, "env-token-1a").code(), absl::StatusCode::kUnauthenticated);
  // A variable without a token is a start-up error, not an open server.
  EXPECT_EQ(no_token->Wait(), 2);
  EXPECT_TRUE(absl::StrContains(no_token->Log(), "GONGKAI_AUTH_TOKENS is set but holds no token"))
      << no_token->Log();
}

// With nothing in flight, a server stops right after its drain window even
// while clients keep their channels (and health watch streams) open; gRPC
// alone would wait the whole --shutdown_grace_seconds.
TEST(ShutdownTest, IdleClientsDoNotHoldTheServerAfterTheDrain) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-idle-");
  Server parse = StartServer(dir, "gongkai-parse-server", "parse",
                             {"--shutdown_grace_seconds=60"});
  ASSERT_GT(parse.port, 0);
  Server aggregate = StartServer(
      dir, "gongkai-aggregate-server", "aggregate",
      {"--shutdown_grace_seconds=60", "--parse_targets=" + parse.address(),
       "--validate_targets=" + parse.address()});
  ASSERT_GT(aggregate.port, 0);
  ChannelEngineOptions options;
  options.aggregate_targets = aggregate.address();
  options.parse_targets = parse.address();
  auto client = Client(options);  // stays open (idle) through the shutdowns
  ASSERT_NE(client, nullptr);
  const std::vector<Document> documents = SyntheticDocuments(3, 23);
  ASSERT_TRUE(client->Parse(documents[0]).ok());
  ASSERT_TRUE(client->Aggregate(documents, AllLevels()).ok());
  for (Server* server : {&parse, &aggregate}) {
    const absl::Time start = absl::Now();
    server->process->Signal(SIGTERM);
    EXPECT_EQ(server->process->Wait(), 0);
    // Generous: drain 0.3 s + 2 s, against a 60 s grace.
    EXPECT_LT(absl::Now() - start, absl::Seconds(2.3)) << server->log;
    EXPECT_TRUE(absl::StrContains(server->process->Log(), "\"msg\":\"stopped\""));
  }
}

// ---------------------------------------------------------------------------
// 6b. Redis AUTH with an ACL user limited to ~gongkai:*.

TEST(RedisAclTest, AclUserCachesWrongPasswordFailsOpen) {
  if (!HaveRedis()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-acl-");
  {
    std::ofstream acl(dir + "/users.acl");
    acl << "user default off\n"
        << "user gongkai on >acl-pw-faults-5e2 ~gongkai:* +@all -@dangerous\n";
  }
  auto redis = RedisProcess::Start(dir, {"--aclfile", dir + "/users.acl"});
  ASSERT_TRUE(redis.ok()) << redis.status();
  const std::vector<Document> documents = SyntheticDocuments(6, 23);

  auto run = [&](const std::string& name, const std::string& password) {
    // The password comes from the environment, not the process list.
    setenv("GONGKAI_REDIS_PASSWORD", password.c_str(), 1);
    Server parse = StartServer(dir, "gongkai-parse-server", name,
                               {"--redis=" + (*redis)->address(), "--redis_user=gongkai",
                                "--lru_max_entries=0", "--redis_timeout_ms=200"});
    unsetenv("GONGKAI_REDIS_PASSWORD");
    EXPECT_GT(parse.port, 0);
    ChannelEngineOptions options;
    options.parse_targets = parse.address();
    auto client = Client(options);
    int from_cache = 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (const Document& document : documents) {
        auto response = client->ParseWithResponse(ToParseRequest(document));
        EXPECT_TRUE(response.ok()) << response.status();
        if (response.ok() && response->from_cache()) ++from_cache;
      }
    }
    return std::make_pair(std::move(parse), from_cache);
  };

  auto [right, right_hits] = run("parse-acl", "acl-pw-faults-5e2");
  EXPECT_EQ(right_hits, static_cast<int>(documents.size())) << "second pass should hit Redis";
  EXPECT_EQ(right.Metric("gongkai_cache_puts_total{tier=\"redis\"}"),
            static_cast<double>(documents.size()));
  EXPECT_EQ(right.Metric("gongkai_cache_requests_total{tier=\"redis\",outcome=\"error\"}"), 0);
  // Every SET succeeded under an ACL that allows only ~gongkai:* keys, so
  // the cache writes nothing outside its namespace.
  EXPECT_EQ(right.Metric("gongkai_cache_put_errors_total{tier=\"redis\"}"), 0);

  auto [wrong, wrong_hits] = run("parse-wrong-pw", "not-the-password");
  EXPECT_EQ(wrong_hits, 0);
  EXPECT_GT(wrong.Metric("gongkai_cache_requests_total{tier=\"redis\",outcome=\"error\"}") +
                wrong.Metric("gongkai_cache_put_errors_total{tier=\"redis\"}"),
            0)
      << wrong.Metrics();
  EXPECT_TRUE(wrong.process->Running());
}

// ---------------------------------------------------------------------------
// 7. Logs never contain document text, tokens or the Redis password.

TEST(LogHygieneTest, NoDocumentTextTokensOrPasswordsInAnyLog) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-faults-logs-");
  const std::string doc_marker = "示例标记MARKERDOCqz81";
  const std::string token_marker = "MARKERTOKENvk27";
  const std::string wrong_token_marker = "MARKERWRONGTOKENhp55";
  const std::string password_marker = "MARKERPASSWORDxw09";
  {
    std::ofstream tokens(dir + "/tokens.txt");
    tokens << token_marker << "\n";
  }
  std::unique_ptr<RedisProcess> redis;
  std::vector<std::string> parse_flags = {"--auth_token_file=" + dir + "/tokens.txt"};
  if (HaveRedis()) {
    auto started = RedisProcess::Start(dir, {"--requirepass", password_marker});
    ASSERT_TRUE(started.ok()) << started.status();
    redis = *std::move(started);
    parse_flags.push_back("--redis=" + redis->address());
    parse_flags.push_back("--redis_password=" + password_marker);
  }
  Server parse = StartServer(dir, "gongkai-parse-server", "parse", parse_flags);
  Server validate = StartServer(dir, "gongkai-validate-server", "validate",
                                {"--auth_token_file=" + dir + "/tokens.txt"});
  ASSERT_GT(parse.port, 0);
  ASSERT_GT(validate.port, 0);
  Server aggregate = StartServer(
      dir, "gongkai-aggregate-server", "aggregate",
      {"--auth_token_file=" + dir + "/tokens.txt", "--parse_targets=" + parse.address(),
       "--validate_targets=" + validate.address()});
  ASSERT_GT(aggregate.port, 0);

  std::vector<Document> documents = SyntheticDocuments(10, 41, doc_marker);
  // A document that fails to parse, made of the marker.
  Document junk;
  junk.name = "示例-junk.txt";
  junk.bytes = absl::StrCat(doc_marker, " ", doc_marker, "\n");
  documents.push_back(junk);

  ChannelEngineOptions options;
  options.aggregate_targets = aggregate.address();
  options.parse_targets = parse.address();
  options.channel.bearer_token = token_marker;
  auto client = Client(options);
  ASSERT_NE(client, nullptr);
  auto result = client->Aggregate(documents, AllLevels());
  ASSERT_TRUE(result.ok()) << result.status();
  (void)client->Parse(junk);  // fails or not, it is logged; the log is checked
  options.channel.bearer_token = wrong_token_marker;
  auto wrong = Client(options);
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->Parse(documents[0]).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong->Aggregate(documents, AllLevels()).status().code(),
            absl::StatusCode::kUnauthenticated);

  // Done with the clients (servers no longer wait for idle clients to stop:
  // ShutdownTest.IdleClientsDoNotHoldTheServerAfterTheDrain).
  client.reset();
  wrong.reset();
  for (Server* server : {&aggregate, &parse, &validate}) {
    server->process->Signal(SIGTERM);
    EXPECT_EQ(server->process->Wait(), 0);
  }
  for (Server* server : {&aggregate, &parse, &validate}) {
    const std::string log = server->process->Log();
    EXPECT_TRUE(absl::StrContains(log, "\"method\"")) << server->log << ": no access log lines";
    for (const std::string& marker :
         {doc_marker, std::string("MARKERDOCqz81"), token_marker, wrong_token_marker,
          password_marker}) {
      EXPECT_FALSE(absl::StrContains(log, marker)) << server->log << " contains " << marker;
    }
  }
}

}  // namespace
}  // namespace gongkai
