// The one conversion between absl::Status (used everywhere inside gongkai)
// and grpc::Status (only at the RPC edge). Codes map one-to-one (both follow
// google.rpc.Code); the message is kept.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_SERVER_STATUS_H_
#define GONGKAI_COMMON_SERVER_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace gongkai {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// "OK", "INVALID_ARGUMENT", … (the google.rpc.Code name, for logs/metrics).
const char* StatusCodeName(absl::StatusCode code);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_STATUS_H_
