// The one place absl::Status becomes grpc::Status. The numeric codes are
// the same in both; the message travels unchanged.
#ifndef LECTERN_SERVICE_STATUS_H_
#define LECTERN_SERVICE_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace lectern {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace lectern

#endif  // LECTERN_SERVICE_STATUS_H_
