// gongkai-validate-server: ValidateService on the shared server runner
// (flags: common/server/server_options.h).
#include <memory>

#include "common/server/run_server.h"
#include "common/validate/validator.h"
#include "services/validate/validate_service.h"

namespace gongkai {
namespace {

class ValidateServiceSet : public ServiceSet {
 public:
  explicit ValidateServiceSet(ServerRuntime* runtime) : service(&validator, runtime) {}
  std::vector<grpc::Service*> services() override { return {&service}; }

  Validator validator;
  ValidateServiceImpl service;
};

absl::StatusOr<std::unique_ptr<ServiceSet>> Build(const ServerOptions&,
                                                  ServerRuntime* runtime) {
  return std::unique_ptr<ServiceSet>(std::make_unique<ValidateServiceSet>(runtime));
}

}  // namespace
}  // namespace gongkai

int main(int argc, char** argv) {
  return gongkai::RunServerMain("gongkai-validate-server", argc, argv, gongkai::Build);
}
