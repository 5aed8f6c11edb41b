// Status propagation helpers. Abseil 20220623 (Debian bookworm) has no
// RETURN_IF_ERROR / ASSIGN_OR_RETURN, so lectern carries these two.
#ifndef LECTERN_INDEXER_STATUS_MACROS_H_
#define LECTERN_INDEXER_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` is not OK.
#define LECTERN_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status lectern_status_ = (expr);           \
    if (!lectern_status_.ok()) return lectern_status_; \
  } while (0)

#define LECTERN_CONCAT_INNER_(a, b) a##b
#define LECTERN_CONCAT_(a, b) LECTERN_CONCAT_INNER_(a, b)

// `LECTERN_ASSIGN_OR_RETURN(auto x, F());` declares x from a StatusOr, or
// returns its status from the enclosing function.
#define LECTERN_ASSIGN_OR_RETURN(lhs, expr)                                   \
  LECTERN_ASSIGN_OR_RETURN_IMPL_(LECTERN_CONCAT_(lectern_or_, __LINE__), lhs, \
                                 expr)
// `var` and `lhs` name or declare variables: parentheses would not compile.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define LECTERN_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                                   \
  if (!var.ok()) return var.status();                  \
  lhs = std::move(var).value()
// NOLINTEND(bugprone-macro-parentheses)

#endif  // LECTERN_INDEXER_STATUS_MACROS_H_
