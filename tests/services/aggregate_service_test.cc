// AggregateService through real in-process gRPC servers on port 0: parse and
// validate replicas over the real core, the aggregate service fanning out to
// them through ChannelEngine, and RemoteEngine against the aggregate server
// (one endpoint for every operation) giving the in-process engine's output.
// Documents are synthetic (tools/corpusgen, titles with 示例).
#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/cache/lru_cache.h"
#include "common/engine/in_process_engine.h"
#include "common/regions/division_table.h"
#include "common/regions/resolver.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/aggregate/aggregate_service.h"
#include "services/client/channel_engine.h"
#include "services/client/remote_engine.h"
#include "services/parse/parse_service.h"
#include "services/validate/validate_service.h"
#include "tests/services/testing/in_process_server.h"
#include "tests/services/testing/synthetic_documents.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai {
namespace {

using ::gongkai::testing::InProcessServer;
using ::google::protobuf::util::MessageDifferencer;

std::vector<Document> SyntheticDocuments(int count) {
  return ::gongkai::testing::SyntheticDocuments(count, /*seed=*/77, /*error_share=*/0.2);
}

class AggregateServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto resolver = RegionResolver::LoadDefault();
    ASSERT_TRUE(resolver.ok()) << resolver.status();
    resolver_ = resolver->release();
  }

  void SetUp() override {
    parser_ = std::make_unique<ReportParser>(ParserOptions(), resolver_);
    parse_server_ = std::make_unique<InProcessServer>();
    parse_service_ = std::make_unique<ParseServiceImpl>(parser_.get(), &cache_,
                                                        parse_server_->runtime());
    parse_server_->Start({parse_service_.get()});
    validate_server_ = std::make_unique<InProcessServer>();
    validate_service_ =
        std::make_unique<ValidateServiceImpl>(&validator_, validate_server_->runtime());
    validate_server_->Start({validate_service_.get()});
  }

  void StartAggregate(ServerOptions options = InProcessServer::DefaultOptions()) {
    ChannelEngineOptions backend;
    backend.parse_targets = parse_server_->address();
    backend.validate_targets = validate_server_->address();
    backend.deadline_ms = 5000;
    auto engine = ChannelEngine::Create(backend);
    ASSERT_TRUE(engine.ok()) << engine.status();
    backend_ = *std::move(engine);
    aggregate_server_ = std::make_unique<InProcessServer>(options);
    aggregate_service_ = std::make_unique<AggregateServiceImpl>(
        backend_.get(), &resolver_->table(), aggregate_server_->runtime());
    gateway_parse_ =
        std::make_unique<GatewayParseService>(backend_.get(), aggregate_server_->runtime());
    gateway_validate_ =
        std::make_unique<GatewayValidateService>(backend_.get(), aggregate_server_->runtime());
    aggregate_server_->Start(
        {aggregate_service_.get(), gateway_parse_.get(), gateway_validate_.get()});
    stub_ = v1::AggregateService::NewStub(aggregate_server_->Channel());
  }

  v1::Rollup InProcessRollup(const std::vector<Document>& documents,
                             const v1::AggregateOptions& options) {
    InProcessEngine engine(InProcessEngineOptions(), resolver_);
    auto rollup = engine.Aggregate(documents, options);
    EXPECT_TRUE(rollup.ok()) << rollup.status();
    return rollup.ok() ? *rollup : v1::Rollup();
  }

  // gRPC needs every service to outlive its server: stop the servers first
  // (members are otherwise destroyed services-first).
  void TearDown() override {
    stub_.reset();
    aggregate_server_.reset();
    validate_server_.reset();
    parse_server_.reset();
  }

  static RegionResolver* resolver_;
  Validator validator_;
  LruCache cache_;
  std::unique_ptr<ReportParser> parser_;
  std::unique_ptr<InProcessServer> parse_server_;
  std::unique_ptr<ParseServiceImpl> parse_service_;
  std::unique_ptr<InProcessServer> validate_server_;
  std::unique_ptr<ValidateServiceImpl> validate_service_;
  std::unique_ptr<ChannelEngine> backend_;
  std::unique_ptr<InProcessServer> aggregate_server_;
  std::unique_ptr<AggregateServiceImpl> aggregate_service_;
  std::unique_ptr<GatewayParseService> gateway_parse_;
  std::unique_ptr<GatewayValidateService> gateway_validate_;
  std::unique_ptr<v1::AggregateService::Stub> stub_;
};

RegionResolver* AggregateServerTest::resolver_ = nullptr;

TEST_F(AggregateServerTest, RemoteEngineMatchesInProcess) {
  StartAggregate();
  RemoteEngineOptions options;
  options.endpoint = aggregate_server_->address();
  auto remote = NewRemoteEngine(options);
  ASSERT_TRUE(remote.ok()) << remote.status();
  const std::vector<Document> documents = SyntheticDocuments(24);
  v1::AggregateOptions aggregate_options;
  aggregate_options.set_level(v1::REGION_LEVEL_PROVINCE);
  auto rollup = (*remote)->Aggregate(documents, aggregate_options);
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  ASSERT_EQ(rollup->reports_size(), 24);
  EXPECT_TRUE(MessageDifferencer::Equals(*rollup, InProcessRollup(documents, aggregate_options)));

  InProcessEngine local(InProcessEngineOptions(), resolver_);
  auto parsed = (*remote)->Parse(documents[0]);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*parsed, *local.Parse(documents[0])));
  auto validated = (*remote)->Validate(*parsed, nullptr, {});
  ASSERT_TRUE(validated.ok()) << validated.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*validated, *local.Validate(*parsed, nullptr, {})));
}

// A validate replica from before ValidateBatch: Validate only (ValidateBatch
// answers UNIMPLEMENTED, as the generated base class does).
class PreBatchValidateService final : public v1::ValidateService::Service {
 public:
  explicit PreBatchValidateService(const Validator* validator) : validator_(validator) {}
  grpc::Status Validate(grpc::ServerContext*, const v1::ValidateRequest* request,
                        v1::ValidateResponse* response) override {
    auto result = validator_->Validate(request->report(), nullptr, request->options());
    if (!result.ok()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad request");
    *response->mutable_result() = *std::move(result);
    return grpc::Status::OK;
  }

 private:
  const Validator* validator_;
};

TEST_F(AggregateServerTest, ValidateReplicaWithoutBatchesGetsOneCallPerReport) {
  validate_server_.reset();
  validate_server_ = std::make_unique<InProcessServer>();
  PreBatchValidateService old_service(&validator_);
  validate_server_->Start({&old_service});
  StartAggregate();
  RemoteEngineOptions options;
  options.endpoint = aggregate_server_->address();
  auto remote = NewRemoteEngine(options);
  ASSERT_TRUE(remote.ok()) << remote.status();
  const std::vector<Document> documents = SyntheticDocuments(12);
  v1::AggregateOptions aggregate_options;
  auto rollup = (*remote)->Aggregate(documents, aggregate_options);
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  for (const v1::ReportOutcome& outcome : rollup->reports()) {
    EXPECT_TRUE(outcome.validated()) << outcome.source();
  }
  EXPECT_TRUE(MessageDifferencer::Equals(*rollup, InProcessRollup(documents, aggregate_options)));
  aggregate_server_.reset();  // before old_service goes
  validate_server_.reset();
}

TEST_F(AggregateServerTest, LargeReportsAreValidatedInBatchesUnderTheMessageLimit) {
  // A validate replica that takes at most 6 MB per message, and 32 reports
  // of ~0.9 MB each (a long section six): 8 in one ValidateBatch would be
  // over the limit; the aggregate keeps each batch under 4 MB.
  validate_server_.reset();
  ServerOptions small = InProcessServer::DefaultOptions();
  small.max_message_bytes = 6 << 20;
  validate_server_ = std::make_unique<InProcessServer>(small);
  validate_service_ =
      std::make_unique<ValidateServiceImpl>(&validator_, validate_server_->runtime());
  validate_server_->Start({validate_service_.get()});
  StartAggregate();

  corpusgen::GeneratorOptions generator_options;
  generator_options.seed = 4242;
  generator_options.layouts = {corpusgen::Layout::kTsv};
  generator_options.with_oracle = false;
  const corpusgen::CorpusGenerator generator(generator_options);
  std::string filler;
  while (filler.size() < (900u << 10)) filler += "本机关依法依规做好政府信息公开工作（示例）。";
  std::vector<Document> documents;
  for (uint64_t i = 0; documents.size() < 32; ++i) {
    corpusgen::GeneratedReport report = generator.Generate(i);
    if (report.encoding != "UTF-8") continue;
    Document document;
    document.bytes = report.bytes + "\n" + filler + "\n";
    document.name = report.name;
    documents.push_back(std::move(document));
  }
  RemoteEngineOptions options;
  options.endpoint = aggregate_server_->address();
  auto remote = NewRemoteEngine(options);
  ASSERT_TRUE(remote.ok()) << remote.status();
  auto rollup = (*remote)->Aggregate(documents, v1::AggregateOptions());
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  ASSERT_EQ(rollup->reports_size(), 32);
  for (const v1::ReportOutcome& outcome : rollup->reports()) {
    EXPECT_NE(outcome.reason(), v1::EXCLUSION_REASON_PARSE_FAILED) << outcome.detail();
    EXPECT_TRUE(outcome.validated()) << outcome.source();
  }
}

TEST_F(AggregateServerTest, BatchEqualsStreamAndCountsFailures) {
  StartAggregate();
  std::vector<Document> documents = SyntheticDocuments(6);
  Document junk;
  junk.bytes = std::string("\x00\x01\x02junk\xff", 8);
  junk.name = "junk.bin";
  documents.insert(documents.begin() + 2, junk);

  v1::AggregateBatchRequest batch;
  for (const Document& document : documents) {
    *batch.add_documents() = ToAggregateDocument(document);
  }
  grpc::ClientContext context;
  v1::AggregateResponse batch_response;
  ASSERT_TRUE(stub_->AggregateBatch(&context, batch, &batch_response).ok());
  const v1::Rollup& rollup = batch_response.rollup();
  ASSERT_EQ(rollup.reports_size(), 7);
  EXPECT_EQ(rollup.reports(2).source(), "junk.bin");
  EXPECT_FALSE(rollup.reports(2).included());
  EXPECT_EQ(rollup.reports(2).reason(), v1::EXCLUSION_REASON_PARSE_FAILED);
  EXPECT_FALSE(rollup.reports(2).content_sha256().empty());

  RemoteEngineOptions options;
  options.endpoint = aggregate_server_->address();
  auto remote = NewRemoteEngine(options);
  ASSERT_TRUE(remote.ok());
  auto streamed = (*remote)->Aggregate(documents, v1::AggregateOptions());
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*streamed, rollup));
}

TEST_F(AggregateServerTest, AlreadyParsedReports) {
  StartAggregate();
  const std::vector<Document> documents = SyntheticDocuments(3);
  v1::AggregateBatchRequest batch;
  for (const Document& document : documents) {
    auto report = parser_->Parse(document);
    ASSERT_TRUE(report.ok());
    v1::AggregateReport* item = batch.add_reports();
    item->set_source("parsed-" + document.name);
    *item->mutable_report() = *report;
  }
  grpc::ClientContext context;
  v1::AggregateResponse response;
  ASSERT_TRUE(stub_->AggregateBatch(&context, batch, &response).ok());
  ASSERT_EQ(response.rollup().reports_size(), 3);
  for (const auto& outcome : response.rollup().reports()) {
    EXPECT_TRUE(absl::StartsWith(outcome.source(), "parsed-"));
    EXPECT_TRUE(outcome.validated());
  }
}

TEST_F(AggregateServerTest, ValidateServiceDownMeansNotValidated) {
  StartAggregate();
  validate_server_->server().Drain();  // gone for good
  v1::AggregateBatchRequest batch;
  for (const Document& document : SyntheticDocuments(12)) {
    *batch.add_documents() = ToAggregateDocument(document);
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::AggregateResponse response;
  grpc::Status status = stub_->AggregateBatch(&context, batch, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.rollup().reports_size(), 12);
  int not_validated = 0;
  for (const auto& outcome : response.rollup().reports()) {
    EXPECT_FALSE(outcome.validated()) << outcome.source();
    EXPECT_FALSE(outcome.included()) << outcome.source();
    // Other exclusions (department, unresolved region) may take precedence.
    if (outcome.reason() == v1::EXCLUSION_REASON_NOT_VALIDATED) ++not_validated;
  }
  EXPECT_GT(not_validated, 0);
  for (const auto& region : response.rollup().regions()) {
    EXPECT_EQ(region.reports_included(), 0);
  }
}

TEST_F(AggregateServerTest, StreamMustStartWithOptions) {
  StartAggregate();
  {
    grpc::ClientContext context;
    v1::AggregateResponse response;
    auto writer = stub_->Aggregate(&context, &response);
    v1::AggregateRequest item;
    *item.mutable_document() = ToAggregateDocument(SyntheticDocuments(1)[0]);
    writer->Write(item);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "first AggregateRequest"));
  }
  {
    grpc::ClientContext context;
    v1::AggregateResponse response;
    auto writer = stub_->Aggregate(&context, &response);
    v1::AggregateRequest options;
    options.mutable_options();
    writer->Write(options);
    writer->Write(options);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "only be the first message"));
  }
  {
    grpc::ClientContext context;
    v1::AggregateResponse response;
    auto writer = stub_->Aggregate(&context, &response);
    v1::AggregateRequest options;
    options.mutable_options();
    writer->Write(options);
    writer->Write(v1::AggregateRequest());
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "item 1 is empty"));
  }
}

TEST_F(AggregateServerTest, BatchLimit) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_batch_items = 2;
  StartAggregate(options);
  v1::AggregateBatchRequest batch;
  for (const Document& document : SyntheticDocuments(3)) {
    *batch.add_documents() = ToAggregateDocument(document);
  }
  grpc::ClientContext context;
  v1::AggregateResponse response;
  grpc::Status status = stub_->AggregateBatch(&context, batch, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "--max_batch_items"));
}

TEST_F(AggregateServerTest, OpenStreamHoldsTheInFlightSlot) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_in_flight = 1;
  StartAggregate(options);
  grpc::ClientContext stream_context;
  v1::AggregateResponse stream_response;
  auto writer = stub_->Aggregate(&stream_context, &stream_response);
  v1::AggregateRequest first;
  first.mutable_options();
  ASSERT_TRUE(writer->Write(first));
  // Wait until the server has admitted the stream.
  for (int i = 0; i < 200 && aggregate_server_->runtime()->in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(aggregate_server_->runtime()->in_flight(), 1);
  grpc::ClientContext context;
  v1::AggregateResponse response;
  grpc::Status busy = stub_->AggregateBatch(&context, v1::AggregateBatchRequest(), &response);
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  writer->WritesDone();
  EXPECT_TRUE(writer->Finish().ok());
}

TEST_F(AggregateServerTest, StreamPastItsDeadline) {
  StartAggregate();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  v1::AggregateResponse response;
  auto writer = stub_->Aggregate(&context, &response);
  v1::AggregateRequest first;
  first.mutable_options();
  writer->Write(first);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // the client stalls
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server is still up.
  grpc::ClientContext again;
  EXPECT_TRUE(stub_->AggregateBatch(&again, v1::AggregateBatchRequest(), &response).ok());
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

TEST_F(AggregateServerTest, BatchLargerThanTheWindowKeepsInputOrder) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.aggregate_concurrency = 2;  // window of 8 inputs held at once
  StartAggregate(options);
  RemoteEngineOptions remote_options;
  remote_options.endpoint = aggregate_server_->address();
  auto remote = NewRemoteEngine(remote_options);
  ASSERT_TRUE(remote.ok());
  std::vector<Document> documents = SyntheticDocuments(60);
  // Cheap failures between slow parses make inputs finish out of order.
  for (size_t i = 3; i < documents.size(); i += 7) {
    documents[i].bytes = "示例: not a report";
    documents[i].name = "bad-" + std::to_string(i) + ".txt";
  }
  auto rollup = (*remote)->Aggregate(documents, v1::AggregateOptions());
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  ASSERT_EQ(rollup->reports_size(), 60);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(rollup->reports(i).source(), documents[i].name);
  v1::Rollup expected = InProcessRollup(documents, v1::AggregateOptions());
  for (auto* r : {&*rollup, &expected}) {
    for (auto& outcome : *r->mutable_reports()) {
      if (outcome.reason() == v1::EXCLUSION_REASON_PARSE_FAILED) outcome.clear_content_sha256();
    }
  }
  EXPECT_TRUE(MessageDifferencer::Equals(*rollup, expected));
}

}  // namespace
}  // namespace gongkai
