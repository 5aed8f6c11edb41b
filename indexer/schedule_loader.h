// Reads every group's schedule named by a config and makes the result
// consistent across groups: one display name per person, one title key per
// paper. Thread-compatible.
#ifndef LECTERN_INDEXER_SCHEDULE_LOADER_H_
#define LECTERN_INDEXER_SCHEDULE_LOADER_H_

#include <set>
#include <string>
#include <vector>

#include "indexer/group_config.h"
#include "indexer/schedule.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

struct LoadedSchedules {
  std::vector<v1::Group> groups;
  // Every group's sessions, in config then schedule order.
  std::vector<v1::Session> sessions;
  // Every problem found; files are cited as opened.
  std::vector<ParseIssue> issues;
  // Groups whose schedule was read without a single issue. Only these may
  // lose sessions from the index: a session missing from a file with
  // problems may just be a line that failed to parse.
  std::set<std::string> clean_groups;
};

// Reads and parses each group's schedule. Never fails as a whole: an
// unreadable file is an issue of its group.
LoadedSchedules LoadSchedules(const LoadedConfig& config);

// Gives every presenter the best-reading spelling of their name among all
// spellings with the same person_id ("Xiang Shen" over "XiangShen",
// "Zongqing Wei" over "Zongqing wei"); written_as keeps the original.
void ResolvePresenters(std::vector<v1::Session>* sessions);

// Gives papers whose title keys match (TitleKeysMatch) one key: the
// shortest, which drops residue such as a trailing "Training" glued to
// the title by a typo.
void UnifyTitleKeys(std::vector<v1::Session>* sessions);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SCHEDULE_LOADER_H_
