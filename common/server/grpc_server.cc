#include "common/server/grpc_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace gongkai {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerOptions& options) {
  if (options.tls_cert.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.tls_require_client_cert
          ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
          : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  auto cert = ReadFileToString(options.tls_cert);
  auto key = ReadFileToString(options.tls_key);
  if (!cert.ok()) return absl::InvalidArgumentError(cert.status().message());
  if (!key.ok()) return absl::InvalidArgumentError(key.status().message());
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_ca.empty()) {
    auto ca = ReadFileToString(options.tls_ca);
    if (!ca.ok()) return absl::InvalidArgumentError(ca.status().message());
    ssl.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services) {
  auto credentials = ServerCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string address = absl::StrCat(
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host,
      ":", options.port);
  builder.AddListeningPort(address, *credentials, &port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  if (options.max_connection_age_seconds > 0) {
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_MS,
        static_cast<int>(std::max(1.0, options.max_connection_age_seconds * 1000)));
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
        static_cast<int>(options.max_connection_age_grace_seconds * 1000));
  }
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return std::unique_ptr<GrpcServer>(new GrpcServer(options, std::move(server), port));
}

GrpcServer::GrpcServer(const ServerOptions& options, std::unique_ptr<grpc::Server> server,
                       int port)
    : options_(options), server_(std::move(server)), port_(port) {}

GrpcServer::~GrpcServer() {
  if (!shut_down_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

void GrpcServer::Drain(const std::function<int()>& calls_in_flight) {
  if (shut_down_) return;
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(false);
  std::this_thread::sleep_for(
      std::chrono::milliseconds(static_cast<int64_t>(options_.drain_seconds * 1000)));
  const auto deadline =
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(options_.shutdown_grace_seconds * 1000));
  std::atomic<bool> shutdown_returned{false};
  std::thread idle_watch;
  if (calls_in_flight) {
    idle_watch = std::thread([&] {
      int idle_reads = 0;
      while (!shutdown_returned.load() && std::chrono::system_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        idle_reads = calls_in_flight() == 0 ? idle_reads + 1 : 0;
        if (idle_reads >= 2 && !shutdown_returned.load()) {
          // Ends the wait inside Shutdown(deadline): no gongkai call is left,
          // only health watches and idle connections.
          grpc_server_cancel_all_calls(server_->c_server());
          return;
        }
      }
    });
  }
  server_->Shutdown(deadline);
  shutdown_returned = true;
  if (idle_watch.joinable()) idle_watch.join();
  server_->Wait();
  shut_down_ = true;
}

}  // namespace gongkai
