// Test support: a gongkai gRPC server in this process on a free port (port
// 0), with its own Metrics and ServerRuntime, built in two steps so the
// services can take the runtime: construct, build services, Start().
//
// Thread-safety: one owner.
#ifndef GONGKAI_TESTS_SERVICES_TESTING_IN_PROCESS_SERVER_H_
#define GONGKAI_TESTS_SERVICES_TESTING_IN_PROCESS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "common/server/grpc_server.h"
#include "common/server/metrics.h"
#include "common/server/server_options.h"
#include "common/server/server_runtime.h"
#include "grpcpp/channel.h"

namespace gongkai::testing {

class InProcessServer {
 public:
  explicit InProcessServer(ServerOptions options = DefaultOptions(),
                           std::vector<std::string> tokens = {});
  // Shuts the server down, then waits (up to 10 s) until every admitted call
  // has finished its RpcScope, so the runtime and metrics outlive them.
  ~InProcessServer();

  // Loopback, port 0, short drain.
  static ServerOptions DefaultOptions();

  ServerRuntime* runtime() { return &runtime_; }
  Metrics& metrics() { return metrics_; }
  // Aborts the test binary (ASSERT-style) when the server cannot start.
  void Start(const std::vector<grpc::Service*>& services);
  int port() const { return server_->port(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port()); }
  GrpcServer& server() { return *server_; }
  // A plain insecure channel to this server.
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  ServerOptions options_;
  Metrics metrics_;
  ServerRuntime runtime_;
  std::unique_ptr<GrpcServer> server_;
};

// grpc.health.v1.Health/Check for `service` ("" = the whole server) over a
// generic stub: 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN, or -(gRPC code)
// when the call fails.
int HealthCheck(const std::shared_ptr<grpc::Channel>& channel,
                const std::string& service = "");

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_SERVICES_TESTING_IN_PROCESS_SERVER_H_
