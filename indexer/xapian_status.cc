#include "indexer/xapian_status.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace lectern {

absl::Status XapianErrorToStatus(const Xapian::Error& error,
                                 absl::string_view context) {
  // The system error behind it, if any ("No space left on device").
  const char* system_error = error.get_error_string();
  const std::string message = absl::StrCat(
      context, context.empty() ? "" : ": ", error.get_msg(),
      error.get_context().empty() ? "" : " (", error.get_context(),
      error.get_context().empty() ? "" : ")",
      system_error == nullptr ? "" : absl::StrCat(": ", system_error));
  auto caused_by = [&](int code) {
    return system_error != nullptr &&
           std::strcmp(system_error, std::strerror(code)) == 0;
  };
  if (caused_by(ENOSPC) || caused_by(EDQUOT)) {
    return absl::ResourceExhaustedError(
        absl::StrCat(message, " (the disk is full)"));
  }
  if (caused_by(EROFS) || caused_by(EACCES) || caused_by(EPERM)) {
    return absl::FailedPreconditionError(
        absl::StrCat(message, " (the index folder cannot be written)"));
  }
  // Xapian::Error is not polymorphic: its type name tells the subclass.
  const std::string type = error.get_type();
  if (type == "QueryParserError" || type == "InvalidArgumentError") {
    return absl::InvalidArgumentError(message);
  }
  if (type == "DatabaseLockError")
    return absl::FailedPreconditionError(message);
  if (type == "DatabaseNotFoundError") return absl::NotFoundError(message);
  if (type == "DatabaseOpeningError" || type == "DatabaseModifiedError" ||
      type == "NetworkError" || type == "NetworkTimeoutError") {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(
      absl::StrCat(message, " [", error.get_type(), "]"));
}

}  // namespace lectern
