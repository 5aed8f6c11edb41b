#include "service/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOkAndHolds;
using ::lectern::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTokens[] = R"(# name  scopes      token
bot     read,write  bot-token-0123456789
viewer  read        viewer-token-0123456

)";

AccessPolicy Policy() {
  auto policy = AccessPolicy::Parse(kTokens, "tokens.txt");
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *std::move(policy) : AccessPolicy();
}

TEST(AccessPolicyTest, WritesNeedAWriteToken) {
  const AccessPolicy policy = Policy();
  EXPECT_THAT(policy.Authorize("Bearer bot-token-0123456789", Scope::kWrite),
              IsOkAndHolds("bot"));
  EXPECT_THAT(policy.Authorize("", Scope::kWrite),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("authorization: Bearer")));
  EXPECT_THAT(
      policy.Authorize("Bearer viewer-token-0123456", Scope::kWrite),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("viewer")));
  EXPECT_THAT(policy.Authorize("Bearer forged-token-0123456", Scope::kWrite),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(policy.Authorize("Basic Ym90OnRva2Vu", Scope::kWrite),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // A prefix of a real token is not that token.
  EXPECT_THAT(policy.Authorize("Bearer bot-token-012345678", Scope::kWrite),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(AccessPolicyTest, ReadsAreOpenUnlessRequired) {
  AccessPolicy policy = Policy();
  EXPECT_THAT(policy.Authorize("", Scope::kRead), IsOkAndHolds("anonymous"));
  EXPECT_THAT(policy.Authorize("Bearer viewer-token-0123456", Scope::kRead),
              IsOkAndHolds("viewer"));
  // A token that is sent must be valid, even where none is needed.
  EXPECT_THAT(policy.Authorize("Bearer wrong-token-01234567", Scope::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated));
  policy.set_require_read_token(true);
  EXPECT_THAT(policy.Authorize("", Scope::kRead),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(policy.Authorize("Bearer bot-token-0123456789", Scope::kRead),
              IsOkAndHolds("bot"));
}

TEST(AccessPolicyTest, BadTokenFilesCiteTheLineButNeverTheToken) {
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"bot write\n", "tokens.txt:1: expected \"name scopes token\""},
      {"# c\nbot admin secret-secret-secret\n", "tokens.txt:2: unknown scope"},
      {"bot read short\n", "shorter than 16"},
      {"a read same-token-0123456789\nb read same-token-0123456789\n",
       "tokens.txt:2: the token of 'b' is also"},
      {"a read token-a-0123456789\na read token-b-0123456789\n", "used twice"},
  };
  for (const auto& c : cases) {
    auto policy = AccessPolicy::Parse(c.text, "tokens.txt");
    EXPECT_THAT(policy, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(c.expected)))
        << c.text;
    if (!policy.ok()) {
      EXPECT_THAT(std::string(policy.status().message()),
                  Not(HasSubstr("0123456789")));
    }
  }
  EXPECT_THAT(AccessPolicy::Load("/nonexistent/tokens.txt"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(IsLoopbackAddressTest, OnlyAddressesThatStayOnTheMachine) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:8080"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:80"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.example.com:80"));
  EXPECT_FALSE(IsLoopbackAddress("lectern:50051"));
}

}  // namespace
}  // namespace lectern
