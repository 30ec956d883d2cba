// RunServerMain: the whole life of a gongkai server process, shared by the
// three servers' main(): parse the flags (ServerOptions), set up JSON
// logging, let the caller build its services, start the gRPC server and the
// metrics listener, log {"msg":"listening","port":N,"metrics_port":M}, wait
// for SIGTERM/SIGINT, then drain (GrpcServer::Drain) and exit 0.
// Start-up failures are logged and exit 1; bad flags exit 2.
//
// Thread-safety: call once, from main(), before any other thread starts.
#ifndef GONGKAI_COMMON_SERVER_RUN_SERVER_H_
#define GONGKAI_COMMON_SERVER_RUN_SERVER_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/server/server_options.h"
#include "common/server/server_runtime.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace gongkai {

// What a server's main() builds: the services and everything they use.
class ServiceSet {
 public:
  virtual ~ServiceSet() = default;
  virtual std::vector<grpc::Service*> services() = 0;
};

using ServiceSetFactory = std::function<absl::StatusOr<std::unique_ptr<ServiceSet>>(
    const ServerOptions& options, ServerRuntime* runtime)>;

// `name` names the server in logs ("gongkai-parse-server").
int RunServerMain(absl::string_view name, int argc, char** argv,
                  const ServiceSetFactory& factory);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_RUN_SERVER_H_
