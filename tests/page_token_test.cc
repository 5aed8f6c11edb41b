#include "indexer/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "tests/testing/status_matchers.h"

namespace lectern {
namespace {

using ::lectern::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kQuery[] = "title:serverless presenter:\"Yikun Gu\"";

TEST(PageTokenTest, RoundTripsOffsets) {
  for (int offset : {0, 1, 10, 20, 100, 12345}) {
    const std::string token = EncodePageToken(kQuery, offset);
    EXPECT_THAT(token, Not(IsEmpty()));
    ASSERT_OK_AND_ASSIGN(const int decoded, DecodePageToken(token, kQuery));
    EXPECT_EQ(decoded, offset) << token;
  }
}

TEST(PageTokenTest, RoundTripsForAnyQuery) {
  for (const char* query : {"", "a", "year:2024 venue:\"USENIX ATC\"",
                            "\xCE\xBC"
                            "Slope 论文"}) {
    ASSERT_OK_AND_ASSIGN(const int decoded,
                         DecodePageToken(EncodePageToken(query, 30), query));
    EXPECT_EQ(decoded, 30) << query;
  }
}

TEST(PageTokenTest, TokenIsUrlSafe) {
  const std::string token = EncodePageToken(kQuery, 12345);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_="),
            std::string::npos)
      << token;
}

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  ASSERT_OK_AND_ASSIGN(const int offset, DecodePageToken("", kQuery));
  EXPECT_EQ(offset, 0);
  ASSERT_OK_AND_ASSIGN(const int other, DecodePageToken("", "anything else"));
  EXPECT_EQ(other, 0);
}

TEST(PageTokenTest, RejectsTokenOfAnotherQuery) {
  const std::string token = EncodePageToken(kQuery, 20);
  for (const char* other :
       {"", "title:serverless", "Title:serverless presenter:\"Yikun Gu\"",
        "title:serverless presenter:\"Yikun Gu\" "}) {
    EXPECT_THAT(
        DecodePageToken(token, other),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << "query: " << other;
  }
}

TEST(PageTokenTest, RejectsGarbage) {
  for (const char* garbage : {"x", "not a token", "!!!!", "AAAA", "cDE6", "%%%",
                              "p1:20:12345", "\xF0\x9F\x92\xA1"}) {
    EXPECT_THAT(DecodePageToken(garbage, kQuery),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << "token: " << garbage;
  }
}

TEST(PageTokenTest, RejectsDamagedToken) {
  const std::string token = EncodePageToken(kQuery, 20);
  ASSERT_GT(token.size(), 4u);
  // Cut short, or with characters appended.
  EXPECT_THAT(DecodePageToken(token.substr(0, token.size() - 4), kQuery),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(token + "AAAA", kQuery),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(token + token, kQuery),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageTokenTest, RejectsOversizedToken) {
  const std::string token = EncodePageToken(kQuery, 20);
  EXPECT_THAT(DecodePageToken(std::string(4096, 'A'), kQuery),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(token + std::string(1000, '='), kQuery),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lectern
