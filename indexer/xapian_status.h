// The one place Xapian exceptions become absl::Status, so none crosses a
// module boundary.
#ifndef LECTERN_INDEXER_XAPIAN_STATUS_H_
#define LECTERN_INDEXER_XAPIAN_STATUS_H_

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lectern {

// QueryParserError is InvalidArgument; a lock held by another writer is
// FailedPrecondition; a missing or unreadable database is NotFound or
// Unavailable; a full disk (ENOSPC, EDQUOT) is ResourceExhausted; a folder
// that cannot be written (EROFS, EACCES, EPERM) is FailedPrecondition;
// anything else is Internal. `context` prefixes the message.
absl::Status XapianErrorToStatus(const Xapian::Error& error,
                                 absl::string_view context);

}  // namespace lectern

#endif  // LECTERN_INDEXER_XAPIAN_STATUS_H_
