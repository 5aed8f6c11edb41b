// GoogleTest matchers for absl::Status and absl::StatusOr. Abseil
// 20220623 ships none, so lectern's tests carry their own.
//
//   EXPECT_THAT(status, IsOk());
//   EXPECT_THAT(result.status(), StatusIs(absl::StatusCode::kNotFound,
//                                         HasSubstr("no group")));
//   ASSERT_OK_AND_ASSIGN(auto value, FunctionReturningStatusOr());
#ifndef LECTERN_TESTS_TESTING_STATUS_MATCHERS_H_
#define LECTERN_TESTS_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lectern::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status.ToString();
  return status.ok();
}

MATCHER_P(StatusIs, code,
          std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

MATCHER_P(IsOkAndHolds, value, "is OK and holds a value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(::testing::Eq(value), *arg,
                                       result_listener);
}

}  // namespace lectern::testing

#define LECTERN_TEST_CONCAT_INNER_(a, b) a##b
#define LECTERN_TEST_CONCAT_(a, b) LECTERN_TEST_CONCAT_INNER_(a, b)

// Declares `lhs` from a StatusOr that must be OK, or fails the test.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                       \
  ASSERT_OK_AND_ASSIGN_IMPL_(LECTERN_TEST_CONCAT_(status_or_, __LINE__), lhs, \
                             expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(var, lhs, expr)  \
  auto var = (expr);                                \
  ASSERT_TRUE(var.ok()) << var.status().ToString(); \
  lhs = std::move(var).value()

#endif  // LECTERN_TESTS_TESTING_STATUS_MATCHERS_H_
