// Tests of the shared server runner through a real in-process gRPC server
// (port 0) carrying ValidateService over the real Validator: status
// conversion, health, metrics (registry and HTTP listener), bearer tokens,
// message size limit, deadlines, the in-flight cap, drain, and the client
// channel (target lists, round_robin with retries across a draining replica).
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/server/channels.h"
#include "common/server/metrics_http.h"
#include "common/server/server_runtime.h"
#include "common/server/status.h"
#include "common/util/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/client/channel_engine.h"
#include "services/client/remote_engine.h"
#include "services/validate/validate_service.h"
#include "tests/services/testing/child_process.h"
#include "tests/services/testing/in_process_server.h"

namespace gongkai {
namespace {

using ::gongkai::testing::HealthCheck;
using ::gongkai::testing::HttpGet;
using ::gongkai::testing::InProcessServer;

// A small synthetic F2021 report (示例) whose table 三 totals are broken on
// purpose, so the validator has something to say.
v1::AnnualReport SampleReport() {
  v1::AnnualReport report;
  report.mutable_meta()->set_organ("示例县人民政府");
  report.mutable_meta()->set_year(2021);
  report.mutable_meta()->set_format(v1::REPORT_FORMAT_F2021);
  report.mutable_meta()->set_title("示例县2021年政府信息公开工作年度报告（示例）");
  auto add = [&](const std::string& key, const std::string& value) {
    v1::Cell* cell = report.add_cells();
    cell->set_key(key);
    cell->set_value(value);
    cell->set_state(v1::CELL_STATE_OK);
  };
  add("t3.new.natural", "5");
  add("t3.new.total", "7");
  add("t3.granted.natural", "3");
  add("t3.granted.total", "3");
  return report;
}

grpc::ClientContext* WithDeadline(grpc::ClientContext* context, int ms = 5000) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
  return context;
}

class ValidateServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = InProcessServer::DefaultOptions(),
                   std::vector<std::string> tokens = {}) {
    server_ = std::make_unique<InProcessServer>(options, tokens);
    service_ = std::make_unique<ValidateServiceImpl>(&validator_, server_->runtime());
    server_->Start({service_.get()});
    stub_ = v1::ValidateService::NewStub(server_->Channel());
  }

  grpc::Status Call(const v1::ValidateRequest& request, v1::ValidateResponse* response,
                    const std::string& token = "") {
    grpc::ClientContext context;
    WithDeadline(&context);
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return stub_->Validate(&context, request, response);
  }

  v1::ValidateRequest SampleRequest() {
    v1::ValidateRequest request;
    *request.mutable_report() = SampleReport();
    return request;
  }

  Validator validator_;
  // Declared before server_ so that it is destroyed after it: gRPC needs
  // every service to outlive its server.
  std::unique_ptr<ValidateServiceImpl> service_;
  std::unique_ptr<InProcessServer> server_;
  std::unique_ptr<v1::ValidateService::Stub> stub_;
};

TEST(StatusTest, CodesAndMessagesRoundTrip) {
  for (int code = 0; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), code == 0 ? "" : "示例 message");
    grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    EXPECT_EQ(FromGrpcStatus(wire), status);
  }
  EXPECT_STREQ(StatusCodeName(absl::StatusCode::kResourceExhausted), "RESOURCE_EXHAUSTED");
}

TEST(LoggingTest, JsonQuoteEscapes) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
  EXPECT_EQ(JsonQuote("示例"), "\"示例\"");
  EXPECT_EQ(JsonQuote(std::string("\xff", 1)), "\"\xef\xbf\xbd\"");
}

TEST_F(ValidateServerTest, SameResultAsInProcess) {
  StartServer();
  v1::ValidateResponse response;
  ASSERT_TRUE(Call(SampleRequest(), &response).ok());
  auto local = validator_.Validate(SampleReport(), nullptr, {});
  ASSERT_TRUE(local.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.result(), *local))
      << response.result().DebugString() << "\nvs\n" << local->DebugString();
}

TEST_F(ValidateServerTest, BatchAnswersEachRequestAsValidateWould) {
  StartServer();
  v1::ValidateBatchRequest batch;
  *batch.add_requests() = SampleRequest();
  batch.add_requests();  // no report: INVALID_ARGUMENT for this one only
  v1::ValidateRequest unknown_rule = SampleRequest();
  unknown_rule.mutable_options()->add_disabled_rules("R99");
  *batch.add_requests() = unknown_rule;
  v1::ValidateRequest with_previous = SampleRequest();
  *with_previous.mutable_previous() = SampleReport();
  *batch.add_requests() = with_previous;
  grpc::ClientContext context;
  v1::ValidateBatchResponse response;
  grpc::Status status = stub_->ValidateBatch(WithDeadline(&context), batch, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 4);
  for (int i : {0, 3}) {
    const v1::ValidateRequest& request = batch.requests(i);
    auto local = validator_.Validate(request.report(),
                                     request.has_previous() ? &request.previous() : nullptr, {});
    ASSERT_TRUE(local.ok());
    EXPECT_EQ(response.results(i).code(), 0);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.results(i).result(),
                                                                    *local))
        << i;
  }
  EXPECT_EQ(response.results(1).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(absl::StrContains(response.results(1).message(), "report is missing"));
  EXPECT_EQ(response.results(2).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(absl::StrContains(response.results(2).message(), "R99"));

  // Through the aggregate server's raw client: the same bytes come back.
  ChannelEngineOptions engine_options;
  engine_options.validate_targets = server_->address();
  auto engine = ChannelEngine::Create(engine_options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  auto raw = (*engine)->ValidateBatchRaw(batch.SerializeAsString(),
                                         std::chrono::system_clock::now() +
                                             std::chrono::seconds(5));
  ASSERT_TRUE(raw.ok()) << raw.status();
  v1::ValidateBatchResponse decoded;
  ASSERT_TRUE(decoded.ParseFromString(*raw));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(decoded, response));
}

TEST_F(ValidateServerTest, MissingReportIsInvalidArgument) {
  StartServer();
  v1::ValidateResponse response;
  grpc::Status status = Call(v1::ValidateRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "report is missing"))
      << status.error_message();
  EXPECT_TRUE(Call(SampleRequest(), &response).ok());  // still serving
}

TEST_F(ValidateServerTest, UnknownRuleIsInvalidArgument) {
  StartServer();
  v1::ValidateRequest request = SampleRequest();
  request.mutable_options()->add_disabled_rules("NO_SUCH_RULE");
  v1::ValidateResponse response;
  EXPECT_EQ(Call(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ValidateServerTest, HealthServing) {
  StartServer();
  EXPECT_EQ(HealthCheck(server_->Channel()), 1);
}

TEST_F(ValidateServerTest, MetricsCountCallsByMethodAndCode) {
  StartServer();
  v1::ValidateResponse response;
  ASSERT_TRUE(Call(SampleRequest(), &response).ok());
  ASSERT_TRUE(Call(SampleRequest(), &response).ok());
  ASSERT_FALSE(Call(v1::ValidateRequest(), &response).ok());
  const std::string text = server_->metrics().Render();
  EXPECT_TRUE(absl::StrContains(
      text, "gongkai_rpc_requests_total{method=\"Validate\",code=\"OK\"} 2\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(
      text, "gongkai_rpc_requests_total{method=\"Validate\",code=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "gongkai_rpc_latency_seconds_count{method=\"Validate\",code=\"OK\"} 2\n"));
  EXPECT_TRUE(absl::StrContains(text, "gongkai_rpc_in_flight 0\n"));
}

TEST_F(ValidateServerTest, MetricsHttpListener) {
  StartServer();
  v1::ValidateResponse response;
  ASSERT_TRUE(Call(SampleRequest(), &response).ok());
  MetricsHttpServer http(&server_->metrics());
  auto port = http.Start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.status();
  const std::string metrics = HttpGet(*port, "/metrics");
  EXPECT_TRUE(absl::StartsWith(metrics, "HTTP/1.0 200 OK")) << metrics;
  EXPECT_TRUE(absl::StrContains(metrics, "text/plain; version=0.0.4"));
  EXPECT_TRUE(absl::StrContains(
      metrics, "gongkai_rpc_requests_total{method=\"Validate\",code=\"OK\"} 1"));
  EXPECT_TRUE(absl::StartsWith(HttpGet(*port, "/other"), "HTTP/1.0 404"));
  http.Stop();
}

TEST_F(ValidateServerTest, BearerTokens) {
  StartServer(InProcessServer::DefaultOptions(), {"sample-token-1", "token-2"});
  v1::ValidateResponse response;
  grpc::Status none = Call(SampleRequest(), &response);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(none.error_message(), "bearer token"));
  EXPECT_EQ(Call(SampleRequest(), &response, "wrong").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(SampleRequest(), &response, "token-2").error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(Call(SampleRequest(), &response, "sample-token-1").error_code(),
            grpc::StatusCode::OK);
  EXPECT_EQ(HealthCheck(server_->Channel()), 1);  // health needs no token
}

TEST_F(ValidateServerTest, OverTheMessageLimitIsResourceExhausted) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_message_bytes = 64 << 10;
  StartServer(options);
  v1::ValidateRequest big = SampleRequest();
  big.mutable_report()->set_normalized_text(std::string(100 << 10, 'x'));
  v1::ValidateResponse response;
  grpc::Status status = Call(big, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "larger than max"))
      << status.error_message();
  EXPECT_TRUE(Call(SampleRequest(), &response).ok());
}

TEST_F(ValidateServerTest, MissedDeadline) {
  StartServer();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::ValidateResponse response;
  grpc::Status status = stub_->Validate(&context, SampleRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(Call(SampleRequest(), &response).ok());
}

TEST_F(ValidateServerTest, InFlightCapAnswersResourceExhausted) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_in_flight = 1;
  StartServer(options);
  {
    // Hold the one slot the way a long call would.
    grpc::ServerContext held;
    RpcScope scope(server_->runtime(), "Hold", &held);
    ASSERT_TRUE(scope.admitted());
    v1::ValidateResponse response;
    grpc::Status status = Call(SampleRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "--max_in_flight"));
    scope.Finish(absl::OkStatus());
  }
  v1::ValidateResponse response;
  EXPECT_TRUE(Call(SampleRequest(), &response).ok());
  EXPECT_EQ(server_->runtime()->in_flight(), 0);
}

TEST_F(ValidateServerTest, DrainReportsNotServingThenStops) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.drain_seconds = 1.0;
  StartServer(options);
  auto channel = server_->Channel();
  ASSERT_EQ(HealthCheck(channel), 1);
  std::thread drainer([&] { server_->server().Drain(); });
  // Within the drain window: NOT_SERVING, yet calls still succeed.
  int health = 1;
  for (int i = 0; i < 50 && health == 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    health = HealthCheck(channel);
  }
  EXPECT_EQ(health, 2);
  v1::ValidateResponse response;
  EXPECT_TRUE(Call(SampleRequest(), &response).ok());
  drainer.join();
  EXPECT_FALSE(Call(SampleRequest(), &response).ok());
}

TEST(RemoteEngineFlagsTest, EndpointAndDeadline) {
  RemoteEngineOptions options;
  std::vector<std::string> args = {"parse", "--endpoint", "h:1", "--endpoint=h:2",
                                   "--deadline_ms=500", "--endpointx", "--endpoint"};
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 0, &options), 0);
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 1, &options), 2);
  EXPECT_EQ(options.endpoint, "h:1");
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 3, &options), 1);
  EXPECT_EQ(options.endpoint, "h:2");
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 4, &options), 1);
  EXPECT_EQ(options.deadline_ms, 500);
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 5, &options), 0);
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, 6, &options), -1);  // value missing
  EXPECT_EQ(NewRemoteEngine(RemoteEngineOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RemoteEngineFlagsTest, TlsTokenFileAndPerServiceEndpoints) {
  RemoteEngineOptions options;
  std::vector<std::string> args = {"--tls_ca=ca.pem", "--tls_cert",     "c.pem",
                                   "--tls_key=c.key", "--token_file",   "tok.txt",
                                   "--parse_endpoint=p:1", "--aggregate_endpoint", "a:2",
                                   "--validate_endpoint=v:3", "--token_file="};
  size_t i = 0;
  while (i + 1 < args.size()) {
    const int used = ConsumeRemoteEngineFlag(args, i, &options);
    ASSERT_GT(used, 0) << args[i];
    i += used;
  }
  EXPECT_EQ(ConsumeRemoteEngineFlag(args, i, &options), -1);  // empty value
  EXPECT_EQ(options.tls_ca, "ca.pem");
  EXPECT_EQ(options.tls_cert, "c.pem");
  EXPECT_EQ(options.tls_key, "c.key");
  EXPECT_EQ(options.token_file, "tok.txt");
  EXPECT_EQ(options.parse_endpoint, "p:1");
  EXPECT_EQ(options.aggregate_endpoint, "a:2");
  EXPECT_EQ(options.validate_endpoint, "v:3");
  EXPECT_TRUE(options.endpoint.empty());
  EXPECT_TRUE(IsRemote(options));
  EXPECT_FALSE(IsRemote(RemoteEngineOptions()));

  RemoteEngineOptions half_tls;
  half_tls.endpoint = "127.0.0.1:1";
  half_tls.tls_cert = "c.pem";
  EXPECT_EQ(NewRemoteEngine(half_tls).status().code(), absl::StatusCode::kInvalidArgument);
  RemoteEngineOptions missing_token_file;
  missing_token_file.endpoint = "127.0.0.1:1";
  missing_token_file.token_file = "/nonexistent/gongkai-token";
  EXPECT_EQ(NewRemoteEngine(missing_token_file).status().code(), absl::StatusCode::kNotFound);
}

TEST(BearerTokensTest, FileWinsOverEnvironmentWhichSplitsOnCommasAndNewlines) {
  const std::string dir = ::gongkai::testing::MakeTempDir("gongkai-tokens-");
  const std::string file = dir + "/tokens.txt";
  std::ofstream(file) << "  from-file \n\nsecond\n";

  auto none = LoadBearerTokens("", nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());  // no file, no variable: no authentication

  auto env = LoadBearerTokens("", " a-tok , b-tok\nc-tok,,\n");
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ(*env, (std::vector<std::string>{"a-tok", "b-tok", "c-tok"}));

  auto both = LoadBearerTokens(file, "a-tok");
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(*both, (std::vector<std::string>{"from-file", "second"}));

  auto empty_env = LoadBearerTokens("", " , \n ");
  EXPECT_EQ(empty_env.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(empty_env.status().message(), "GONGKAI_AUTH_TOKENS"));
  EXPECT_EQ(LoadBearerTokens(dir + "/absent", "a-tok").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ServerOptionsTest, MaxConnectionAgeDefaults) {
  ServerOptions defaults;
  EXPECT_EQ(defaults.max_connection_age_seconds, 300);
  EXPECT_EQ(defaults.max_connection_age_grace_seconds, 3600);
}

// A connection older than --max_connection_age_seconds gets a GOAWAY: the
// client channel leaves READY (so it would re-resolve a dns:/// target) and
// the next call succeeds on a new connection.
TEST(ChannelTest, ReconnectsAfterMaxConnectionAge) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.max_connection_age_seconds = 0.5;
  options.max_connection_age_grace_seconds = 0.5;
  InProcessServer server(options);
  server.Start({});
  auto channel = NewServiceChannel(server.address(), ChannelOptions());
  ASSERT_TRUE(channel.ok()) << channel.status();
  ASSERT_EQ(HealthCheck(*channel), 1);
  ASSERT_EQ((*channel)->GetState(false), GRPC_CHANNEL_READY);
  // Generous bound: the age is 0.5 s (+-10% jitter) plus the grace.
  const bool changed = (*channel)->WaitForStateChange(
      GRPC_CHANNEL_READY, std::chrono::system_clock::now() + std::chrono::seconds(20));
  EXPECT_TRUE(changed) << "the connection was never closed by max_connection_age";
  EXPECT_EQ(HealthCheck(*channel), 1);
  EXPECT_TRUE((*channel)->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(20)));
}

TEST(ChannelTest, TargetLists) {
  EXPECT_EQ(*ChannelTarget("127.0.0.1:1,127.0.0.1:2"), "ipv4:127.0.0.1:1,127.0.0.1:2");
  EXPECT_EQ(*ChannelTarget(" localhost:7 , 127.0.0.1:8 "), "ipv4:127.0.0.1:7,127.0.0.1:8");
  EXPECT_EQ(*ChannelTarget("dns:///parse.gongkai.svc:50051"), "dns:///parse.gongkai.svc:50051");
  EXPECT_EQ(*ChannelTarget("parse:50051"), "parse:50051");
  EXPECT_EQ(ChannelTarget("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChannelTarget("a:1,b").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChannelTarget("127.0.0.1:1,dns:///x:2").status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string config = ServiceConfigJson(5);
  EXPECT_TRUE(absl::StrContains(config, "round_robin"));
  EXPECT_TRUE(absl::StrContains(config, "\"UNAVAILABLE\""));
  EXPECT_TRUE(absl::StrContains(config, "healthCheckConfig"));
}

TEST(ChannelTest, RoundRobinAndNoLostCallsWhileAReplicaDrains) {
  Validator validator;
  ServerOptions draining = InProcessServer::DefaultOptions();
  draining.drain_seconds = 0.5;  // NOT_SERVING first, as in production
  InProcessServer a(draining);
  InProcessServer b;
  ValidateServiceImpl service_a(&validator, a.runtime());
  ValidateServiceImpl service_b(&validator, b.runtime());
  a.Start({&service_a});
  b.Start({&service_b});
  ChannelEngineOptions options;
  options.validate_targets = absl::StrCat(a.address(), ",", b.address());
  options.deadline_ms = 10000;
  auto engine = ChannelEngine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const v1::AnnualReport report = SampleReport();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE((*engine)->Validate(report, nullptr, {}).ok());
  }
  auto count = [](InProcessServer& s) {
    const std::string text = s.metrics().Render();
    return absl::StrContains(text, "method=\"Validate\",code=\"OK\"");
  };
  EXPECT_TRUE(count(a));
  EXPECT_TRUE(count(b));

  // Replica a goes away mid-run: every call still succeeds.
  std::thread drainer([&] { a.server().Drain(); });
  int failed = 0;
  auto call = [&] {
    absl::Status status = (*engine)->Validate(report, nullptr, {}).status();
    if (!status.ok()) {
      ++failed;
      ADD_FAILURE() << status;
    }
  };
  for (int i = 0; i < 200; ++i) call();
  drainer.join();
  for (int i = 0; i < 20; ++i) call();
  EXPECT_EQ(failed, 0);
  // Stop b while service_b is still alive (gRPC needs a service to outlive
  // its server; locals are destroyed services-first).
  b.server().Drain();
}

}  // namespace
}  // namespace gongkai
