// TLS and mutual TLS on the shared server runner and client channels, with a
// throw-away CA and certificates made by the openssl command-line tool at
// test time (skipped when it is absent): a TLS client gets through, a
// plaintext client does not; with --tls_require_client_cert a client without
// a certificate is refused and one with a CA-signed certificate gets
// through.
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/server/grpc_server.h"
#include "gtest/gtest.h"
#include "services/client/channel_engine.h"
#include "services/validate/validate_service.h"
#include "tests/services/testing/child_process.h"
#include "tests/services/testing/in_process_server.h"

namespace gongkai {
namespace {

using ::gongkai::testing::InProcessServer;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists("/usr/bin/openssl")) return;
    dir_ = new std::string(::gongkai::testing::MakeTempDir("gongkai-tls-"));
    made_ = ::gongkai::testing::MakeTestCertificates(*dir_).ok();
  }

  void SetUp() override {
    if (!made_) GTEST_SKIP() << "openssl could not make test certificates";
  }

  void StartServer(bool require_client_cert) {
    ServerOptions options = InProcessServer::DefaultOptions();
    options.tls_cert = *dir_ + "/server.pem";
    options.tls_key = *dir_ + "/server.key";
    options.tls_ca = *dir_ + "/ca.pem";
    options.tls_require_client_cert = require_client_cert;
    server_ = std::make_unique<InProcessServer>(options);
    service_ = std::make_unique<ValidateServiceImpl>(&validator_, server_->runtime());
    server_->Start({service_.get()});
  }

  absl::Status Validate(ChannelOptions channel) {
    ChannelEngineOptions options;
    options.validate_targets = absl::StrCat("localhost:", server_->port());
    options.channel = channel;
    options.deadline_ms = 3000;
    auto engine = ChannelEngine::Create(options);
    if (!engine.ok()) return engine.status();
    v1::AnnualReport report;
    report.mutable_meta()->set_organ("示例县人民政府");
    return (*engine)->Validate(report, nullptr, {}).status();
  }

  static std::string* dir_;
  static bool made_;
  Validator validator_;
  // Declared before server_ so that it is destroyed after it: gRPC needs
  // every service to outlive its server.
  std::unique_ptr<ValidateServiceImpl> service_;
  std::unique_ptr<InProcessServer> server_;
};

std::string* TlsTest::dir_ = nullptr;
bool TlsTest::made_ = false;

TEST_F(TlsTest, TlsClientConnectsPlaintextClientDoesNot) {
  StartServer(false);
  ChannelOptions tls;
  tls.tls_ca = *dir_ + "/ca.pem";
  EXPECT_TRUE(Validate(tls).ok()) << Validate(tls);
  EXPECT_EQ(Validate(ChannelOptions()).code(), absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, MutualTlsNeedsAClientCertificate) {
  StartServer(true);
  ChannelOptions no_cert;
  no_cert.tls_ca = *dir_ + "/ca.pem";
  EXPECT_EQ(Validate(no_cert).code(), absl::StatusCode::kUnavailable);
  ChannelOptions with_cert = no_cert;
  with_cert.tls_cert = *dir_ + "/client.pem";
  with_cert.tls_key = *dir_ + "/client.key";
  absl::Status status = Validate(with_cert);
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(TlsTest, UnreadableCertificateIsAStartUpError) {
  ServerOptions options = InProcessServer::DefaultOptions();
  options.tls_cert = *dir_ + "/missing.pem";
  options.tls_key = *dir_ + "/server.key";
  auto server = GrpcServer::Start(options, {});
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace gongkai
