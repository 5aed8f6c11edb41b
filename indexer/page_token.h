// Opaque page tokens for Search (AIP-158): a token carries the offset of
// the next page and a fingerprint of the query it belongs to, so a token
// replayed with another query is rejected instead of paging the wrong
// results. Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_PAGE_TOKEN_H_
#define LECTERN_INDEXER_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lectern {

std::string EncodePageToken(absl::string_view query, int offset);

// The offset a token encodes. An empty token is offset 0. InvalidArgument
// when the token is malformed or was issued for another query.
absl::StatusOr<int> DecodePageToken(absl::string_view token,
                                    absl::string_view query);

}  // namespace lectern

#endif  // LECTERN_INDEXER_PAGE_TOKEN_H_
