#include "indexer/group_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lectern/v1/config.pb.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::TempDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

// A folder with a config file and the two schedule files it may name.
class GroupConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.WriteFile("schedules/fall.md", "# 2024 Fall\n");
    dir_.WriteFile("schedules/list.txt", "1) 9.17, T (OSDI'24), A\n");
  }

  // Writes `text` as the config and loads it.
  absl::StatusOr<LoadedConfig> Load(const std::string& text) {
    return LoadConfig(dir_.WriteFile("lectern.textproto", text));
  }
  std::string ConfigPath() const { return dir_.Path("lectern.textproto"); }
  // The "path:line: " prefix errors start with.
  std::string At(int line) const {
    return ConfigPath() + ":" + std::to_string(line) + ": ";
  }

  TempDir dir_;
};

TEST(BundledConfigTest, Loads) {
  ASSERT_OK_AND_ASSIGN(const LoadedConfig loaded,
                       LoadConfig(lectern::testing::BundledConfig()));
  EXPECT_EQ(loaded.path, lectern::testing::BundledConfig());
  EXPECT_EQ(fs::path(loaded.base_dir),
            fs::path(lectern::testing::SourceDir()) / "data");
  ASSERT_EQ(loaded.config.groups_size(), 2);

  const v1::GroupConfig& fall = loaded.config.groups(0);
  EXPECT_EQ(fall.id(), "fall-2024");
  EXPECT_EQ(fall.display_name(), "2024 Fall");
  EXPECT_EQ(fall.schedule_format(), v1::SCHEDULE_FORMAT_MARKDOWN);
  EXPECT_EQ(fall.semester_start_year(), 2024);
  EXPECT_THAT(fall.siblings(), ElementsAre("paper-list-2024"));

  const v1::GroupConfig& list = loaded.config.groups(1);
  EXPECT_EQ(list.id(), "paper-list-2024");
  EXPECT_EQ(list.schedule_format(), v1::SCHEDULE_FORMAT_NUMBERED_LIST);
  EXPECT_EQ(list.semester_start_year(), 2024);
  EXPECT_THAT(list.rules_text(), HasSubstr("One paper for each group"));
  EXPECT_THAT(list.siblings(), ElementsAre("fall-2024"));

  for (const v1::GroupConfig& group : loaded.config.groups()) {
    const std::string path = loaded.Resolve(group.schedule_file());
    EXPECT_TRUE(fs::is_regular_file(path)) << group.id() << ": " << path;
    EXPECT_EQ(fs::path(path).filename(),
              fs::path(group.schedule_file()).filename());
  }
  EXPECT_EQ(fs::path(loaded.Resolve(fall.schedule_file())),
            fs::path(lectern::testing::SourceDir()) /
                "data/schedules/002_0cd5e5f5aef9465a.txt");
}

TEST_F(GroupConfigTest, SchedulePathsAreRelativeToTheConfigFolder) {
  ASSERT_OK_AND_ASSIGN(const LoadedConfig loaded, Load(R"(groups {
  id: "fall-2024"
  display_name: "2024 Fall"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
  siblings: "list-2024"
}
groups {
  id: "list-2024"
  schedule_file: "schedules/list.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
  semester_start_year: 2024
}
)"));
  EXPECT_EQ(loaded.path, ConfigPath());
  EXPECT_EQ(fs::path(loaded.base_dir), fs::path(dir_.path()));
  ASSERT_EQ(loaded.config.groups_size(), 2);
  EXPECT_EQ(fs::path(loaded.Resolve(loaded.config.groups(0).schedule_file())),
            fs::path(dir_.path()) / "schedules/fall.md");
  EXPECT_EQ(fs::path(loaded.Resolve(loaded.config.groups(1).schedule_file())),
            fs::path(dir_.path()) / "schedules/list.txt");
  // Markdown may leave the year to the schedule's title.
  EXPECT_EQ(loaded.config.groups(0).semester_start_year(), 0);
  // An empty display name falls back to the id.
  EXPECT_EQ(loaded.config.groups(0).display_name(), "2024 Fall");
  EXPECT_EQ(loaded.config.groups(1).display_name(), "list-2024");
}

TEST_F(GroupConfigTest, ParseConfigResolvesAgainstTheGivenPath) {
  const std::string text = R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)";
  ASSERT_OK_AND_ASSIGN(const LoadedConfig loaded,
                       ParseConfig(text, dir_.Path("not-written.textproto")));
  EXPECT_EQ(fs::path(loaded.Resolve(loaded.config.groups(0).schedule_file())),
            fs::path(dir_.path()) / "schedules/fall.md");
  // The same text next to no schedules fails.
  TempDir elsewhere;
  EXPECT_THAT(ParseConfig(text, elsewhere.Path("lectern.textproto")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("schedule_file 'schedules/fall.md'")));
}

TEST_F(GroupConfigTest, AbsoluteSchedulePathIsKept) {
  const std::string absolute = dir_.Path("schedules/fall.md");
  TempDir elsewhere;
  const std::string config_path =
      elsewhere.WriteFile("lectern.textproto", R"(groups {
  id: "fall-2024"
  schedule_file: ")" + absolute + R"("
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)");
  ASSERT_OK_AND_ASSIGN(const LoadedConfig loaded, LoadConfig(config_path));
  EXPECT_EQ(loaded.Resolve(loaded.config.groups(0).schedule_file()), absolute);
}

TEST_F(GroupConfigTest, SyntaxErrorCitesLine) {
  EXPECT_THAT(Load(R"(groups {
  id: "fall-2024"
  schedule_fil: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(ConfigPath() + ":3:"),
                             HasSubstr("schedule_fil"))));
}

TEST_F(GroupConfigTest, UnterminatedMessageCitesLine) {
  EXPECT_THAT(Load("groups {\n  id: \"fall-2024\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(ConfigPath() + ":3:")));
}

TEST_F(GroupConfigTest, BadEnumValueIsRejected) {
  // Protobuf reports an unknown enum value where the next token starts, so
  // only the file is checked here, not the line.
  EXPECT_THAT(Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
  schedule_format: MARKDOWN
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(ConfigPath() + ":"),
                             HasSubstr("\"MARKDOWN\""))));
}

TEST_F(GroupConfigTest, EmptyConfigIsRejected) {
  EXPECT_THAT(
      Load("# nothing here\n"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(ConfigPath() + ":1: "), HasSubstr("groups"))));
}

TEST_F(GroupConfigTest, BadIdCitesItsLine) {
  for (const char* bad : {"Fall-2024", "fall_2024", "-fall", "fall 2024"}) {
    EXPECT_THAT(Load(std::string(R"(groups {
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
  id: ")") + bad + R"("
}
)"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr(At(4)), HasSubstr(bad),
                               HasSubstr("lowercase letters, digits and '-'"))))
        << bad;
  }
}

TEST_F(GroupConfigTest, MissingIdIsRejected) {
  EXPECT_THAT(Load(R"(groups {
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("lowercase letters, digits and '-'")));
}

TEST_F(GroupConfigTest, DuplicateIdCitesTheSecondOne) {
  EXPECT_THAT(
      Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
groups {
  id: "fall-2024"
  schedule_file: "schedules/list.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
  semester_start_year: 2024
}
)"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(At(7) + "group 'fall-2024': "),
                     HasSubstr("duplicate id"), Not(HasSubstr(At(2))))));
}

TEST_F(GroupConfigTest, MissingScheduleFileCitesItsLine) {
  EXPECT_THAT(Load(R"(groups {
  id: "fall-2024"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
  schedule_file: "schedules/spring.md"
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(4) + "group 'fall-2024': "),
                             HasSubstr("'schedules/spring.md' not found"),
                             HasSubstr(dir_.Path("schedules/spring.md")))));
}

TEST_F(GroupConfigTest, ScheduleFileThatIsAFolderIsRejected) {
  EXPECT_THAT(Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(3)), HasSubstr("not found"))));
}

TEST_F(GroupConfigTest, EmptyScheduleFileIsRejected) {
  EXPECT_THAT(Load(R"(groups {
  id: "fall-2024"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(1) + "group 'fall-2024': "),
                             HasSubstr("schedule_file is required"))));
}

TEST_F(GroupConfigTest, UnspecifiedFormatIsLeftToDetection) {
  ASSERT_OK_AND_ASSIGN(LoadedConfig loaded, Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
}
)"));
  EXPECT_EQ(loaded.config.groups(0).schedule_format(),
            v1::SCHEDULE_FORMAT_UNSPECIFIED);
}

TEST_F(GroupConfigTest, CatalogsAndSummaryFoldersMustExist) {
  EXPECT_THAT(
      Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
}
catalogs { path: "catalog/missing.jsonl" }
summaries {
  path: "no-such-folder"
  group: "nobody"
}
)"),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          AllOf(HasSubstr(At(5) + "catalog 'catalog/missing.jsonl'"),
                HasSubstr(At(7) + "summary folder 'no-such-folder' not found"),
                HasSubstr(At(8) + "summary folder 'no-such-folder': "
                                  "group 'nobody'"))));
}

TEST_F(GroupConfigTest, NumberedListNeedsStartYear) {
  EXPECT_THAT(Load(R"(groups {
  id: "list-2024"
  schedule_file: "schedules/list.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(4) + "group 'list-2024': "),
                             HasSubstr("semester_start_year is required"))));
}

TEST_F(GroupConfigTest, StartYearMustHaveFourDigits) {
  EXPECT_THAT(Load(R"(groups {
  id: "list-2024"
  schedule_file: "schedules/list.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
  semester_start_year: 24
}
)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(5) + "group 'list-2024': "),
                             HasSubstr("semester_start_year"))));
}

TEST_F(GroupConfigTest, ReportsEveryProblemAtOnce) {
  const absl::StatusOr<LoadedConfig> loaded = Load(R"(groups {
  id: "Fall"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
groups {
  id: "list-2024"
  schedule_file: "schedules/missing.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
}
)");
  EXPECT_THAT(loaded,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(At(2) + "group 'Fall': "),
                             HasSubstr(At(8) + "group 'list-2024': "),
                             HasSubstr(At(9) + "group 'list-2024': "))));
}

// ParseConfig looks up the line of the offending siblings entry with
// ParseInfoTree::GetLocation(field, -1), which protobuf refuses for a
// repeated field (a FATAL log that throws here); the problem must come back
// as InvalidArgument citing that entry's line.
TEST_F(GroupConfigTest, UnknownSiblingCitesItsLine) {
  absl::StatusOr<LoadedConfig> loaded = absl::UnknownError("not loaded");
  ASSERT_NO_THROW(loaded = Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
  siblings: "list-2024"
  siblings: "spring-2025"
}
groups {
  id: "list-2024"
  schedule_file: "schedules/list.txt"
  schedule_format: SCHEDULE_FORMAT_NUMBERED_LIST
  semester_start_year: 2024
}
)"));
  EXPECT_THAT(loaded, StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr(At(6) + "group 'fall-2024': "),
                                     HasSubstr("'spring-2025'"))));
}

TEST_F(GroupConfigTest, SelfSiblingCitesItsLine) {
  absl::StatusOr<LoadedConfig> loaded = absl::UnknownError("not loaded");
  ASSERT_NO_THROW(loaded = Load(R"(groups {
  id: "fall-2024"
  schedule_file: "schedules/fall.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
  siblings: "fall-2024"
}
)"));
  EXPECT_THAT(loaded, StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr(At(5) + "group 'fall-2024': "),
                                     HasSubstr("sibling"))));
}

TEST(LoadConfigTest, MissingFileIsNotFound) {
  TempDir dir;
  const std::string path = dir.Path("absent.textproto");
  EXPECT_THAT(LoadConfig(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

// A folder cannot be read as a config file either.
TEST(LoadConfigTest, FolderIsNotFound) {
  TempDir dir;
  EXPECT_THAT(LoadConfig(dir.path()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir.path())));
}

TEST(LoadConfigTest, ValidConfigIsOk) {
  TempDir dir;
  dir.WriteFile("s/a.md", "# 2024 Fall\n");
  EXPECT_THAT(LoadConfig(dir.WriteFile("c.textproto", R"(groups {
  id: "a"
  schedule_file: "s/a.md"
  schedule_format: SCHEDULE_FORMAT_MARKDOWN
}
)")),
              IsOk());
}

}  // namespace
}  // namespace lectern
