#include "indexer/xapian_status.h"

#include "absl/strings/str_cat.h"

namespace lectern {

absl::Status XapianErrorToStatus(const Xapian::Error& error,
                                 absl::string_view context) {
  const std::string message =
      absl::StrCat(context, context.empty() ? "" : ": ", error.get_msg(),
                   error.get_context().empty() ? "" : " (", error.get_context(),
                   error.get_context().empty() ? "" : ")");
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
