// GrpcServer: one running gRPC server with gongkai's common setup: the
// grpc.health.v1 health service, server reflection, message size limits,
// TLS when configured, and the drain sequence. Used by RunServerMain and by
// tests (in-process on port 0).
//
// Thread-safety: Drain() may be called from any thread, once.
#ifndef GONGKAI_COMMON_SERVER_GRPC_SERVER_H_
#define GONGKAI_COMMON_SERVER_GRPC_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/server_options.h"
#include "grpcpp/server.h"
#include "grpcpp/security/server_credentials.h"

namespace gongkai {

class GrpcServer {
 public:
  // Starts serving `services` (not owned; they must outlive the server) on
  // options.host:options.port. Errors: UNAVAILABLE when the port cannot be
  // bound; INVALID_ARGUMENT for unreadable TLS files.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services);
  ~GrpcServer();  // Shutdown(now) if not drained

  // The bound port.
  int port() const { return port_; }
  grpc::Server& server() { return *server_; }

  // Health NOT_SERVING, keep serving for options.drain_seconds, then stop
  // accepting and wait up to options.shutdown_grace_seconds for calls in
  // flight (then cancel them). Blocks until done.
  //
  // gRPC's own Shutdown(deadline) also waits for streams that never end by
  // themselves (clients' grpc.health.v1 Watch streams) and for connections
  // the clients keep open, i.e. always the whole grace period when any
  // client is connected. With `calls_in_flight` (the count of gongkai calls
  // being handled, ServerRuntime::in_flight) the wait ends as soon as it
  // reads 0 twice 100 ms apart after shutdown began: the remaining streams
  // and connections are then cancelled (a call caught between its handler
  // returning and its status being sent ends CANCELLED, which gongkai
  // channels retry).
  void Drain(const std::function<int()>& calls_in_flight = nullptr);

 private:
  GrpcServer(const ServerOptions& options, std::unique_ptr<grpc::Server> server, int port);

  const ServerOptions options_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool shut_down_ = false;
};

// The server credentials for `options` (insecure without --tls_cert).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerOptions& options);

// The whole of a PEM (or any) file. Errors: NOT_FOUND.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_GRPC_SERVER_H_
