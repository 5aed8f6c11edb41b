// The bundled data (data/lectern.textproto) read into a Corpus and indexed
// into a temp folder: the shared ground of the searcher tests, which build
// it once per suite and compute their expectations from `corpus`.
#ifndef LECTERN_TESTS_TESTING_BUNDLED_INDEX_H_
#define LECTERN_TESTS_TESTING_BUNDLED_INDEX_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern::testing {

struct BundledIndex {
  TempDir dir;
  Corpus corpus;

  std::string path() const { return dir.Path("index"); }

  // Loads the bundled corpus, which must read without issues, and writes
  // it to path(). Call under ASSERT_NO_FATAL_FAILURE.
  void Build() {
    auto config = LoadConfig(BundledConfig());
    ASSERT_THAT(config, IsOk());
    corpus = LoadCorpus(*config);
    ASSERT_THAT(corpus.issues, ::testing::IsEmpty());
    auto writer = IndexWriter::Open(path());
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT((*writer)->Apply(corpus), IsOk());
  }
};

// A test suite over one BundledIndex, built once for the suite and shared
// by its tests as index_.
class BundledIndexSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new BundledIndex;
    ASSERT_NO_FATAL_FAILURE(index_->Build());
  }
  static void TearDownTestSuite() {
    delete index_;
    index_ = nullptr;
  }

  static inline BundledIndex* index_ = nullptr;
};

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_BUNDLED_INDEX_H_
