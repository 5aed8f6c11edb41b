#include "indexer/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/normalize.h"
#include "indexer/utf8.h"
#include "tests/testing/paths.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// Issues as "file:line: message | text", for failure messages.
std::string Describe(const std::vector<ParseIssue>& issues) {
  std::string out;
  for (const ParseIssue& issue : issues) {
    absl::StrAppend(&out, issue.file, ":", issue.line, ": ", issue.message,
                    " | ", issue.text, "\n");
  }
  return out;
}

std::vector<std::string> Authors(const v1::Paper& paper) {
  return {paper.authors().begin(), paper.authors().end()};
}

// The record whose title starts with `prefix`, or nullptr.
const CatalogRecord* FindRecord(const ParsedCatalog& catalog,
                                const std::string& prefix) {
  for (const CatalogRecord& record : catalog.records) {
    if (record.paper.title().rfind(prefix, 0) == 0) return &record;
  }
  return nullptr;
}

std::string Fixture(const std::string& name) {
  return testing::ReadFile(testing::TestData("catalog/" + name));
}

// --------------------------------------------------------------- JSON Lines

TEST(JsonLinesCatalogTest, NormalizesFieldsAndKeepsLineProvenance) {
  const std::string text = Fixture("papers.jsonl");
  ASSERT_FALSE(text.empty());
  const ParsedCatalog catalog = ParseJsonLinesCatalog(text, "papers.jsonl");
  ASSERT_THAT(catalog.records, SizeIs(3)) << Describe(catalog.issues);

  const v1::Paper& nomad = catalog.records[0].paper;
  EXPECT_EQ(catalog.records[0].source, "papers.jsonl:1");
  EXPECT_EQ(nomad.title(),
            "Nomad: Non-Exclusive Memory Tiering via Transactional Page "
            "Migration");
  EXPECT_EQ(nomad.title_key(),
            "nomadnonexclusivememorytieringviatransactionalpagemigration");
  EXPECT_THAT(Authors(nomad), ElementsAre("Lingfeng Xiang", "Zhen Lin"));
  EXPECT_EQ(nomad.venue(), "OSDI");
  EXPECT_EQ(nomad.year(), 2024);
  EXPECT_EQ(nomad.url(),
            "https://www.usenix.org/conference/osdi24/presentation/xiang");
  EXPECT_EQ(nomad.doi(), "");  // "doi": null, and a USENIX URL holds none
  EXPECT_EQ(nomad.abstract(), "Tiered memory systems.");
  // Left for the catalog loader.
  EXPECT_EQ(nomad.id(), "");
  EXPECT_THAT(nomad.provenance(), IsEmpty());

  // Line 2 is blank, line 3 is broken JSON: the next record is line 4.
  const v1::Paper& fusion = catalog.records[1].paper;
  EXPECT_EQ(catalog.records[1].source, "papers.jsonl:4");
  EXPECT_EQ(fusion.title(), "LoRAFusion: Efficient LoRA Fine-Tuning for LLMs");
  EXPECT_THAT(Authors(fusion), ElementsAre("Zhanda Zhu"));
  EXPECT_EQ(fusion.venue(), "EuroSys");
  EXPECT_EQ(fusion.year(), 2026);
  EXPECT_EQ(fusion.doi(), "10.1145/3767295.3769331x");
  EXPECT_EQ(fusion.abstract(), "Low-Rank Adaptation.");

  const v1::Paper& old = catalog.records[2].paper;
  EXPECT_EQ(catalog.records[2].source, "papers.jsonl:6");
  EXPECT_EQ(old.venue(), "VLDB");
  EXPECT_EQ(old.year(), 0);  // 1850 is no conference year
  EXPECT_EQ(old.doi(), "10.14778/abc.def");
  EXPECT_THAT(Authors(old), IsEmpty());
}

TEST(JsonLinesCatalogTest, BadLinesAreIssuesWithLineAndText) {
  const ParsedCatalog catalog =
      ParseJsonLinesCatalog(Fixture("papers.jsonl"), "papers.jsonl");
  ASSERT_THAT(catalog.issues, SizeIs(2)) << Describe(catalog.issues);

  const ParseIssue& broken = catalog.issues[0];
  EXPECT_EQ(broken.file, "papers.jsonl");
  EXPECT_EQ(broken.line, 3);
  EXPECT_FALSE(broken.note);
  EXPECT_THAT(broken.text, StartsWith("{\"title\": \"Metis\""));
  EXPECT_THAT(broken.message, HasSubstr("expected"));

  const ParseIssue& untitled = catalog.issues[1];
  EXPECT_EQ(untitled.line, 5);
  EXPECT_FALSE(untitled.note);
  EXPECT_THAT(untitled.message, HasSubstr("title"));
  EXPECT_EQ(untitled.text,
            "{\"authors\": [\"No Title\"], \"venue\": \"SOSP\", \"year\": "
            "2023}");
}

TEST(JsonLinesCatalogTest, VenueYearAndDoiAreNormalizedAsForSchedules) {
  const ParsedCatalog catalog = ParseJsonLinesCatalog(
      R"({"title": "Metis", "venue": "ATC", "year": 24, )"
      R"("url": "https://dl.acm.org/doi/abs/10.1145/3600006.3613139"})"
      "\n"
      R"({"title": "B", "venue": "usenix atc", "year": "2023", )"
      R"("doi": "doi:10.1145/ABC"})"
      "\n"
      R"({"title": "C", "venue": "Eurosys", "year": null, "doi": null, )"
      R"("authors": null, "abstract": null})"
      "\n"
      R"({"title": "D", "venue": "HotNets", "year": 12345})",
      "inline");
  ASSERT_THAT(catalog.records, SizeIs(4)) << Describe(catalog.issues);
  EXPECT_THAT(catalog.issues, IsEmpty());
  const v1::Paper& metis = catalog.records[0].paper;
  EXPECT_EQ(metis.venue(), "USENIX ATC");
  EXPECT_EQ(metis.venue(), CanonicalVenue("ATC").name);
  EXPECT_EQ(metis.year(), 2024);
  EXPECT_EQ(metis.doi(), "10.1145/3600006.3613139");  // from the URL
  EXPECT_EQ(catalog.records[1].paper.venue(), "USENIX ATC");
  EXPECT_EQ(catalog.records[1].paper.year(), 2023);
  EXPECT_EQ(catalog.records[1].paper.doi(), "10.1145/abc");
  EXPECT_EQ(catalog.records[2].paper.venue(), "EuroSys");
  EXPECT_EQ(catalog.records[2].paper.year(), 0);
  EXPECT_EQ(catalog.records[2].paper.doi(), "");
  // Unknown venues stay as written; impossible years are dropped.
  EXPECT_EQ(catalog.records[3].paper.venue(), "HotNets");
  EXPECT_EQ(catalog.records[3].paper.year(), 0);
}

TEST(JsonLinesCatalogTest, TitleAndAuthorsAreCleaned) {
  const ParsedCatalog catalog = ParseJsonLinesCatalog(
      R"({"title": "USHER：Holistic  Interference\tAvoidance", )"
      R"("authors": ["  Sudipta   Saha ", "", "Ｈａｏ Qiu"]})",
      "inline");
  ASSERT_THAT(catalog.records, SizeIs(1)) << Describe(catalog.issues);
  const v1::Paper& paper = catalog.records[0].paper;
  EXPECT_EQ(paper.title(), "USHER: Holistic Interference Avoidance");
  EXPECT_EQ(paper.title_key(), "usherholisticinterferenceavoidance");
  EXPECT_THAT(Authors(paper), ElementsAre("Sudipta Saha", "Hao Qiu"));
}

TEST(JsonLinesCatalogTest, MalformedLinesNeverStopTheRest) {
  const std::string text = absl::StrCat(
      "[1, 2]\n",                          // 1: not an object
      "42\n",                              // 2
      "{\n",                               // 3
      "{\"title\": 7}\n",                  // 4: wrong type
      "{\"title\": \"\\ud800\"}\n",        // 5: lone surrogate
      "{\"title\": \"bad \xFF utf8\"}\n",  // 6
      "{\"title\": \"   \"}\r\n",          // 7: blank title
      "   \t\r\n",                         // 8: blank line, skipped
      "{\"title\": \"Fine\"}\r\n",         // 9
      "{\"title\": \"Also fine\", \"x\": {\"y\": [null, {}]}}");  // 10
  const ParsedCatalog catalog = ParseJsonLinesCatalog(text, "mixed.jsonl");
  ASSERT_THAT(catalog.records, SizeIs(2)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.records[0].paper.title(), "Fine");
  EXPECT_EQ(catalog.records[0].source, "mixed.jsonl:9");
  EXPECT_EQ(catalog.records[1].source, "mixed.jsonl:10");
  std::vector<int> lines;
  for (const ParseIssue& issue : catalog.issues) {
    lines.push_back(issue.line);
    EXPECT_FALSE(issue.text.empty()) << issue.line;
    EXPECT_TRUE(utf8::IsValid(issue.message)) << issue.line;
    EXPECT_THAT(issue.text, ::testing::Not(EndsWith("\r")));
  }
  EXPECT_THAT(lines, ElementsAre(1, 2, 3, 4, 5, 6, 7));
  if (catalog.issues.size() == 7) {
    EXPECT_THAT(catalog.issues[5].message, HasSubstr("not valid UTF-8"));
    EXPECT_THAT(catalog.issues[6].message, HasSubstr("no title"));
  }
}

TEST(JsonLinesCatalogTest, LongIssueTextIsTruncated) {
  // 300 bytes of two-byte characters after an odd prefix, so that byte 200
  // falls inside a character.
  std::string line = "{\"title\": \"x";
  for (int i = 0; i < 150; ++i) line += "é";
  const ParsedCatalog catalog = ParseJsonLinesCatalog(line, "long.jsonl");
  ASSERT_THAT(catalog.issues, SizeIs(1));
  const std::string& text = catalog.issues[0].text;
  EXPECT_THAT(text, EndsWith("…"));
  EXPECT_LE(text.size(), 200 + std::string("…").size());
  EXPECT_GE(text.size(), 190u);
  EXPECT_TRUE(utf8::IsValid(text));
  EXPECT_THAT(text, StartsWith("{\"title\": \"xé"));
}

// ------------------------------------------------------------------ BibTeX

TEST(BibtexCatalogTest, ReadsDblpEntries) {
  const std::string text = Fixture("dblp.bib");
  ASSERT_FALSE(text.empty());
  const ParsedCatalog catalog = ParseBibtexCatalog(text, "dblp.bib");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  ASSERT_THAT(catalog.records, SizeIs(4));

  const CatalogRecord& power_infer = catalog.records[0];
  EXPECT_EQ(power_infer.source, "dblp.bib:6");  // the line of its '@'
  EXPECT_EQ(power_infer.paper.title(),
            "PowerInfer: Fast Large Language Model Serving with a "
            "Consumer-grade GPU");
  EXPECT_EQ(power_infer.paper.title_key(),
            TitleKey("PowerInfer: Fast Large Language Model Serving with a "
                     "Consumer-grade GPU"));
  EXPECT_THAT(
      Authors(power_infer.paper),
      ElementsAre("Yixin Song", "Zeyu Mi", "Haotong Xie", "Haibo Chen"));
  EXPECT_EQ(power_infer.paper.venue(), "SOSP");
  EXPECT_EQ(power_infer.paper.year(), 2024);
  EXPECT_EQ(power_infer.paper.doi(), "10.1145/3694715.3695964");
  EXPECT_EQ(power_infer.paper.url(), "https://doi.org/10.1145/3694715.3695964");

  // Capitalized entry type and field names, a bare year, a @string value.
  const CatalogRecord& nomad = catalog.records[1];
  EXPECT_EQ(nomad.source, "dblp.bib:24");
  EXPECT_EQ(nomad.paper.title(),
            "Nomad: Non-Exclusive Memory Tiering via Transactional Page "
            "Migration");
  EXPECT_THAT(nomad.paper.authors(), SizeIs(7));
  EXPECT_EQ(nomad.paper.venue(), "OSDI");
  EXPECT_EQ(nomad.paper.year(), 2024);
  EXPECT_EQ(nomad.paper.doi(), "");

  const CatalogRecord& mlora = catalog.records[2];
  EXPECT_EQ(mlora.source, "dblp.bib:35");
  EXPECT_EQ(mlora.paper.title(),
            "mLoRA: Fine-Tuning LoRA Adapters via Highly-Efficient Pipeline "
            "Parallelism in Multiple GPUs");
  EXPECT_EQ(mlora.paper.venue(), "VLDB");  // from "Proc. {VLDB} Endow."
  EXPECT_EQ(mlora.paper.year(), 2025);
  EXPECT_EQ(mlora.paper.abstract(),
            "Transformer-based large language models (LLMs) have demonstrated "
            "outstanding performance across diverse domains.");

  // Quoted values, accents, '#', DBLP's homonym number and "others".
  const CatalogRecord& cafe = catalog.records[3];
  EXPECT_EQ(cafe.source, "dblp.bib:51");
  EXPECT_EQ(cafe.paper.title(),
            "Café & Naïve Storage — Fast and Cheap Snapshots");
  EXPECT_THAT(Authors(cafe.paper),
              ElementsAre("Jörg Müller", "François Grégoire", "Wei Wang"));
  EXPECT_EQ(cafe.paper.venue(), "USENIX ATC");  // from conf/usenix/...
  EXPECT_EQ(cafe.paper.year(), 2024);
  EXPECT_EQ(cafe.paper.doi(), "10.5555/abc_123");
}

TEST(BibtexCatalogTest, TexAccentsAndEscapes) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      R"(@article{k1,
  title = {Sch{\"o}n {\'e}t\'e \`a la Se\~nor \^{o}t\'{e} Gar\c{c}on \v{S}ar {\o}l Stra{\ss}e},
}
@article{k2,
  title = {Fish \& Chips: a\_b c~d 1--2 yes---no \textbf{Bold} $\mu$Slope \LaTeX{} 100\%},
}
@article{k3, title = {Dvo\v r\'ak and \H{o} \k{e} \r{a} \={o} \.{z} \u{g} {\i} \'{\i} \"{\i}}}
)",
      "accents.bib");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  ASSERT_THAT(catalog.records, SizeIs(3));
  EXPECT_EQ(catalog.records[0].paper.title(),
            "Schön été à la Señor ôté Garçon Šar øl Straße");
  EXPECT_EQ(catalog.records[1].paper.title(),
            "Fish & Chips: a_b c d 1–2 yes—no Bold μSlope LaTeX 100%");
  EXPECT_EQ(catalog.records[2].paper.title(), "Dvořák and ő ę å ō ż ğ ı í ï");
  EXPECT_EQ(catalog.records[2].source, "accents.bib:7");
}

TEST(BibtexCatalogTest, NestedBracesQuotesAndConcatenation) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      R"(@STRING{ osdi = "{OSDI}" }
@string(conf = osdi # " 2024")
@InProceedings{nested,
  TITLE = {A {Nested {Deeply {Braced}}} Title},
  booktitle = conf,
  year = 2024
}
@misc{quoted, title = "The {"}Quoted{"} {Paper, with} a comma" # { and } # "more",
      year = "'19"}
@inproceedings(parenthesized, title = {Round (Brackets)}, year = {2020})
)",
      "nested.bib");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  ASSERT_THAT(catalog.records, SizeIs(3));
  EXPECT_EQ(catalog.records[0].paper.title(), "A Nested Deeply Braced Title");
  EXPECT_EQ(catalog.records[0].paper.venue(), "OSDI");  // via two macros
  EXPECT_EQ(catalog.records[0].paper.year(), 2024);
  EXPECT_EQ(catalog.records[1].paper.title(),
            "The \"Quoted\" Paper, with a comma and more");
  EXPECT_EQ(catalog.records[1].paper.year(), 2019);
  EXPECT_EQ(catalog.records[1].source, "nested.bib:8");
  EXPECT_EQ(catalog.records[2].paper.title(), "Round (Brackets)");
  EXPECT_EQ(catalog.records[2].source, "nested.bib:10");
}

TEST(BibtexCatalogTest, SplitsAuthorsOnAnd) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      R"(@article{a,
  title = {T},
  author = {Song, Yixin and Zeyu Mi AND
            {Barnes and Noble} and M{\"u}ller, Jr., Hans and Wei Wang 0001
            and Andy Anderson and Brandon Anders and others},
  date = {2023-10-23},
})",
      "authors.bib");
  ASSERT_THAT(catalog.records, SizeIs(1)) << Describe(catalog.issues);
  EXPECT_THAT(Authors(catalog.records[0].paper),
              ElementsAre("Yixin Song", "Zeyu Mi", "Barnes and Noble",
                          "Hans Müller Jr.", "Wei Wang", "Andy Anderson",
                          "Brandon Anders"));
  EXPECT_EQ(catalog.records[0].paper.year(), 2023);  // from biblatex's date
}

TEST(BibtexCatalogTest, VenueFromBooktitleJournalOrKey) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      R"(@inproceedings{x1, title = {A},
  booktitle = {2024 {USENIX} Annual Technical Conference, {USENIX} {ATC} 2024}}
@inproceedings{DBLP:conf/eurosys/X24, title = {B},
  booktitle = {Proceedings of the Nineteenth European Conference on Computer Systems}}
@article{DBLP:journals/pvldb/X25, title = {C}, journal = {Proc. {VLDB} Endow.}}
@inproceedings{x4, title = {D},
  booktitle = {Proceedings of the ACM SIGOPS 29th Symposium on Operating Systems Principles},
  series = {SOSP '23}}
@article{DBLP:journals/corr/abs-2312-12456, title = {E}, journal = {CoRR}}
@inproceedings{DBLP:conf/cloud/X24, title = {F}}
@inproceedings{x7, title = {G}, booktitle = {Workshop on Something Small}}
)",
      "venues.bib");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  std::vector<std::string> venues;
  for (const CatalogRecord& record : catalog.records) {
    venues.push_back(record.paper.venue());
  }
  EXPECT_THAT(venues, ElementsAre("USENIX ATC", "EuroSys", "VLDB", "SOSP",
                                  "arXiv", "SoCC", ""));
}

TEST(BibtexCatalogTest, EntryWithoutTitleIsAnIssue) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "@misc{untitled,\n  author = {Somebody},\n  year = 2020\n}\n"
      "@misc{titled, title = {Kept}}\n",
      "untitled.bib");
  ASSERT_THAT(catalog.records, SizeIs(1));
  EXPECT_EQ(catalog.records[0].paper.title(), "Kept");
  EXPECT_EQ(catalog.records[0].source, "untitled.bib:5");
  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].line, 1);
  EXPECT_EQ(catalog.issues[0].text, "@misc{untitled,");
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("title"));
}

TEST(BibtexCatalogTest, UnterminatedEntryIsAnIssueAndParsingStops) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "@article{good, title = {Good}}\n"
      "\n"
      "@article{bad,\n"
      "  title = {Never {closed},\n"
      "  year = 2020\n"
      "}\n",
      "unterminated.bib");
  ASSERT_THAT(catalog.records, SizeIs(1));
  EXPECT_EQ(catalog.records[0].paper.title(), "Good");
  ASSERT_THAT(catalog.issues, SizeIs(1)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.issues[0].line, 3);
  EXPECT_EQ(catalog.issues[0].text, "@article{bad,");
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("unterminated"));
}

TEST(BibtexCatalogTest, UnclosedEntryBeforeTheNextIsReported) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "@article{first, title = {First},\n"
      "  year = 2020\n"
      "@article{second, title = {Second}}\n",
      "unclosed.bib");
  ASSERT_THAT(catalog.records, SizeIs(1)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.records[0].paper.title(), "Second");
  EXPECT_EQ(catalog.records[0].source, "unclosed.bib:3");
  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].line, 1);
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("not closed"));

  // The same after a trailing comma, where a field name would come next.
  const ParsedCatalog after_comma = ParseBibtexCatalog(
      "@article{first, title = {First},\n"
      "@article{second, title = {Second}}\n",
      "unclosed.bib");
  ASSERT_THAT(after_comma.records, SizeIs(1)) << Describe(after_comma.issues);
  EXPECT_EQ(after_comma.records[0].source, "unclosed.bib:2");
  ASSERT_THAT(after_comma.issues, SizeIs(1));
  EXPECT_EQ(after_comma.issues[0].line, 1);
  EXPECT_THAT(after_comma.issues[0].message, HasSubstr("not closed"));
}

TEST(BibtexCatalogTest, SyntaxErrorSkipsOnlyThatEntry) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "@article{one, title = {One}}\n"
      "@article{two,\n"
      "  title = {Two} author = {Missing Comma}\n"
      "}\n"
      "@article{three, title = {Three}}\n",
      "syntax.bib");
  ASSERT_THAT(catalog.records, SizeIs(2)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.records[0].paper.title(), "One");
  EXPECT_EQ(catalog.records[1].paper.title(), "Three");
  EXPECT_EQ(catalog.records[1].source, "syntax.bib:5");
  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].line, 3);
  EXPECT_EQ(catalog.issues[0].text, "  title = {Two} author = {Missing Comma}");
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("expected ','"));
}

TEST(BibtexCatalogTest, CommentsAndStrayAtSignsAreSkipped) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "Exported for alice@example.org.\n"
      "% @article{commented, title = {Commented out}}\n"
      "@comment{ @article{inside, title = {In a comment}} }\n"
      "@preamble{ \"\\newcommand{\\x}{}\" }\n"
      "@article{real, title = {Real}}\n",
      "comments.bib");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  ASSERT_THAT(catalog.records, SizeIs(1));
  EXPECT_EQ(catalog.records[0].paper.title(), "Real");
  EXPECT_EQ(catalog.records[0].source, "comments.bib:5");
}

TEST(BibtexCatalogTest, MalformedInputNeverCrashes) {
  const std::vector<std::string> broken = {
      "@",
      "@{",
      "@article{",
      "@article{key",
      "@article{key,",
      "@article{key, title",
      "@article{key, title =",
      "@article{key, title = {",
      "@article{key, title = \"",
      "@article{key, title = {x} #",
      "@article{key, title = # {x}}",
      "@article{key, title = {\\",
      "@article{key, title = {\\\"}}",
      "@article{key, title = {\\c}}",
      "@article{key, title = {x}}}}, = }",
      "@article{key, title = {\\'{}\\v{\\\\}}",
      "@string{",
      "@string{x = }",
      "@comment{",
      std::string("@article{k, title = {a\0b}}", 26),
  };
  for (const std::string& text : broken) {
    const ParsedCatalog catalog = ParseBibtexCatalog(text, "broken.bib");
    EXPECT_LE(catalog.records.size(), 1u) << text;
    for (const ParseIssue& issue : catalog.issues) {
      EXPECT_GE(issue.line, 1) << text;
    }
  }
  // Every prefix of a real file: no crash, and never a record that the
  // whole file does not hold (no half-read entries).
  const std::string text = Fixture("dblp.bib");
  const ParsedCatalog whole = ParseBibtexCatalog(text, "dblp.bib");
  ASSERT_THAT(whole.records, SizeIs(4));
  for (size_t length = 0; length <= text.size(); ++length) {
    const ParsedCatalog prefix =
        ParseBibtexCatalog(absl::string_view(text).substr(0, length), "p.bib");
    ASSERT_LE(prefix.records.size(), whole.records.size()) << length;
    for (size_t i = 0; i < prefix.records.size(); ++i) {
      ASSERT_EQ(prefix.records[i].paper.title(), whole.records[i].paper.title())
          << length;
    }
  }
}

TEST(BibtexCatalogTest, Latin1TextIsOneIssueAndStillLoads) {
  const ParsedCatalog catalog = ParseBibtexCatalog(
      "@article{k,\n"
      "  author = {J\xFCrgen M\xFCller},\n"
      "  title = {Caf\xE9 Systems},\n"
      "  abstract = {Na\xEFve.},\n"
      "  url = {https://example.org/\xE9}\n"
      "}\n",
      "latin1.bib");
  ASSERT_THAT(catalog.records, SizeIs(1));
  const v1::Paper& paper = catalog.records[0].paper;
  EXPECT_TRUE(utf8::IsValid(paper.title()));
  EXPECT_TRUE(utf8::IsValid(paper.abstract()));
  EXPECT_TRUE(utf8::IsValid(paper.url()));
  EXPECT_TRUE(utf8::IsValid(paper.authors(0)));
  EXPECT_EQ(paper.title(), "Caf\uFFFD Systems");
  ASSERT_THAT(catalog.issues, SizeIs(1)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.issues[0].line, 2);
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("UTF-8"));
  EXPECT_TRUE(utf8::IsValid(catalog.issues[0].text));
}

// --------------------------------------------------------------------- CSV

TEST(CsvCatalogTest, ReadsQuotedFieldsAndNormalizes) {
  const std::string text = Fixture("papers.csv");
  ASSERT_FALSE(text.empty());
  const ParsedCatalog catalog = ParseCsvCatalog(text, "papers.csv");
  ASSERT_THAT(catalog.records, SizeIs(3)) << Describe(catalog.issues);

  const CatalogRecord& power_infer = catalog.records[0];
  EXPECT_EQ(power_infer.source, "papers.csv:2");
  EXPECT_THAT(
      Authors(power_infer.paper),
      ElementsAre("Yixin Song", "Zeyu Mi", "Haotong Xie", "Haibo Chen"));
  EXPECT_EQ(power_infer.paper.venue(), "SOSP");
  EXPECT_EQ(power_infer.paper.year(), 2024);
  EXPECT_EQ(power_infer.paper.doi(), "10.1145/3694715.3695964");
  EXPECT_EQ(power_infer.paper.abstract(), "Serves LLMs, fast, on one GPU.");

  const CatalogRecord& metis = catalog.records[1];
  EXPECT_EQ(metis.source, "papers.csv:3");
  EXPECT_THAT(Authors(metis.paper), ElementsAre("Taegeon Um", "Byungsoo Oh"));
  EXPECT_EQ(metis.paper.venue(), "USENIX ATC");
  EXPECT_EQ(metis.paper.year(), 2024);  // "24"
  EXPECT_EQ(metis.paper.abstract(), "A \"quoted\" word, and a second line.");

  // The quoted line break in row 3 makes the next rows start at 5 and 6.
  const CatalogRecord& nomad = catalog.records[2];
  EXPECT_EQ(nomad.source, "papers.csv:6");
  EXPECT_EQ(nomad.paper.venue(), "OSDI");  // "OSDI'24"
  EXPECT_EQ(nomad.paper.year(), 0);
  EXPECT_EQ(nomad.paper.title_key(),
            "nomadnonexclusivememorytieringviatransactionalpagemigration");

  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].line, 5);
  EXPECT_EQ(catalog.issues[0].text,
            ",Nobody,OSDI,2024,,,,a row without a title");
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("title"));
}

TEST(CsvCatalogTest, CsvErrorsBecomeIssuesWithTheirLine) {
  const ParsedCatalog catalog = ParseCsvCatalog(
      "title,year\n"
      "Good,2020\n"
      "Too,many,fields\n"
      "Also good,2021\n"
      "\"Never closed,2022\n"
      "more\n",
      "errors.csv");
  ASSERT_THAT(catalog.records, SizeIs(2)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.records[1].source, "errors.csv:4");
  EXPECT_EQ(catalog.records[1].paper.year(), 2021);
  std::vector<int> lines;
  for (const ParseIssue& issue : catalog.issues) lines.push_back(issue.line);
  // One issue per line, although the unterminated quote also makes row 5
  // too short.
  EXPECT_THAT(lines, ::testing::UnorderedElementsAre(3, 5));
  for (const ParseIssue& issue : catalog.issues) {
    if (issue.line == 3) {
      EXPECT_EQ(issue.text, "Too,many,fields");
    } else {
      EXPECT_EQ(issue.text, "\"Never closed,2022");
    }
  }
}

TEST(CsvCatalogTest, HeaderWithoutTitleIsOneIssue) {
  const ParsedCatalog catalog =
      ParseCsvCatalog("name,year\nSomething,2020\n", "notitle.csv");
  EXPECT_THAT(catalog.records, IsEmpty());
  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].line, 1);
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("\"title\""));
}

TEST(CsvCatalogTest, ByteOrderMarkAndCrLf) {
  const ParsedCatalog catalog = ParseCsvCatalog(
      "\xEF\xBB\xBF TITLE , Author\r\nFirst Paper,A and B\r\nSecond,C\r\n",
      "bom.csv");
  ASSERT_THAT(catalog.records, SizeIs(2)) << Describe(catalog.issues);
  EXPECT_EQ(catalog.records[0].paper.title(), "First Paper");
  EXPECT_THAT(Authors(catalog.records[0].paper), ElementsAre("A", "B"));
  EXPECT_EQ(catalog.records[1].source, "bom.csv:3");
}

// ---------------------------------------------------------------- Detection

TEST(DetectCatalogFormatTest, JudgesByContent) {
  EXPECT_EQ(DetectCatalogFormat("\n  {\"title\": \"x\"}\n"),
            v1::CATALOG_FORMAT_JSONL);
  EXPECT_EQ(DetectCatalogFormat("\xEF\xBB\xBF{\"title\": \"x\"}"),
            v1::CATALOG_FORMAT_JSONL);
  EXPECT_EQ(DetectCatalogFormat("% DBLP export\n\n@inproceedings{k,}"),
            v1::CATALOG_FORMAT_BIBTEX);
  EXPECT_EQ(DetectCatalogFormat("Free text first.\n@article{k, title={x}}"),
            v1::CATALOG_FORMAT_BIBTEX);
  EXPECT_EQ(DetectCatalogFormat("\nTitle,Authors,Year\nA,B,2020\n"),
            v1::CATALOG_FORMAT_CSV);
  EXPECT_EQ(DetectCatalogFormat("\"year\",\"title\"\n2020,A\n"),
            v1::CATALOG_FORMAT_CSV);
  EXPECT_EQ(DetectCatalogFormat(""), v1::CATALOG_FORMAT_UNSPECIFIED);
  EXPECT_EQ(DetectCatalogFormat("Title of my notes\nmore"),
            v1::CATALOG_FORMAT_UNSPECIFIED);
  EXPECT_EQ(DetectCatalogFormat("[{\"title\": \"x\"}]"),
            v1::CATALOG_FORMAT_UNSPECIFIED);
  EXPECT_EQ(DetectCatalogFormat("name,year\nA,2020"),
            v1::CATALOG_FORMAT_UNSPECIFIED);
  EXPECT_EQ(DetectCatalogFormat(Fixture("papers.jsonl")),
            v1::CATALOG_FORMAT_JSONL);
  EXPECT_EQ(DetectCatalogFormat(Fixture("dblp.bib")),
            v1::CATALOG_FORMAT_BIBTEX);
  EXPECT_EQ(DetectCatalogFormat(Fixture("papers.csv")), v1::CATALOG_FORMAT_CSV);
}

TEST(ParseCatalogTest, DispatchesOnFormatOrDetects) {
  const std::string bib = "@misc{k, title = {From BibTeX}}";
  EXPECT_THAT(ParseCatalog(v1::CATALOG_FORMAT_UNSPECIFIED, bib, "a").records,
              SizeIs(1));
  EXPECT_THAT(ParseCatalog(v1::CATALOG_FORMAT_BIBTEX, bib, "a").records,
              SizeIs(1));
  // Told it is CSV, the same text is read as CSV: a header and no rows.
  const ParsedCatalog as_csv = ParseCatalog(v1::CATALOG_FORMAT_CSV, bib, "a");
  EXPECT_THAT(as_csv.records, IsEmpty());
  const ParsedCatalog csv =
      ParseCatalog(v1::CATALOG_FORMAT_UNSPECIFIED, "title\nOnly Title\n", "c");
  ASSERT_THAT(csv.records, SizeIs(1));
  EXPECT_EQ(csv.records[0].paper.title(), "Only Title");
  const ParsedCatalog jsonl =
      ParseCatalog(v1::CATALOG_FORMAT_UNSPECIFIED, "{\"title\": \"J\"}", "j");
  ASSERT_THAT(jsonl.records, SizeIs(1));
  EXPECT_EQ(jsonl.records[0].source, "j:1");
}

TEST(ParseCatalogTest, UndetectableTextIsOneIssue) {
  const ParsedCatalog catalog = ParseCatalog(v1::CATALOG_FORMAT_UNSPECIFIED,
                                             "just some notes\n", "notes.txt");
  EXPECT_THAT(catalog.records, IsEmpty());
  ASSERT_THAT(catalog.issues, SizeIs(1));
  EXPECT_EQ(catalog.issues[0].file, "notes.txt");
  EXPECT_EQ(catalog.issues[0].line, 0);
  EXPECT_FALSE(catalog.issues[0].note);
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("JSON Lines"));
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("BibTeX"));
  EXPECT_THAT(catalog.issues[0].message, HasSubstr("CSV"));
}

// ---------------------------------------------------- The shared paper data

std::string SharedPapers() {
  return testing::SourceDir() + "/../shared/data/papers";
}

TEST(SharedCatalogTest, OsdiSospJsonlLoadsCompletely) {
  const std::string path = SharedPapers() + "/osdi_sosp.jsonl";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "…/shared/data/papers not found: " << path;
  }
  const std::string text = testing::ReadFile(path);
  const ParsedCatalog catalog =
      ParseCatalog(v1::CATALOG_FORMAT_UNSPECIFIED, text, "osdi_sosp.jsonl");
  EXPECT_THAT(catalog.issues, IsEmpty()) << Describe(catalog.issues);
  ASSERT_THAT(catalog.records, SizeIs(594));
  for (const CatalogRecord& record : catalog.records) {
    const v1::Paper& paper = record.paper;
    EXPECT_FALSE(paper.title().empty()) << record.source;
    EXPECT_FALSE(paper.title_key().empty()) << record.source;
    EXPECT_TRUE(paper.venue() == "OSDI" || paper.venue() == "SOSP")
        << record.source << ": " << paper.venue();
    EXPECT_GE(paper.year(), 2017) << record.source;
    EXPECT_FALSE(paper.abstract().empty()) << record.source;
    EXPECT_FALSE(paper.authors().empty()) << record.source;
  }
  const CatalogRecord* power_infer = FindRecord(catalog, "PowerInfer:");
  ASSERT_NE(power_infer, nullptr);
  EXPECT_EQ(power_infer->paper.venue(), "SOSP");
  EXPECT_EQ(power_infer->paper.year(), 2024);
  const CatalogRecord* nomad = FindRecord(catalog, "Nomad: Non-Exclusive");
  ASSERT_NE(nomad, nullptr);
  EXPECT_EQ(nomad->paper.venue(), "OSDI");
  EXPECT_EQ(nomad->paper.year(), 2024);
  EXPECT_THAT(nomad->source, StartsWith("osdi_sosp.jsonl:"));
  EXPECT_THAT(Authors(nomad->paper), ::testing::Contains("Lingfeng Xiang"));
}

TEST(SharedCatalogTest, AllThreeFilesLoadWithoutIssues) {
  size_t records = 0;
  size_t usenix_atc = 0;
  for (const char* name :
       {"osdi_sosp.jsonl", "systems_other.jsonl", "other_cs.jsonl"}) {
    const std::string path = SharedPapers() + "/" + name;
    if (!std::filesystem::exists(path)) {
      GTEST_SKIP() << "…/shared/data/papers not found: " << path;
    }
    const ParsedCatalog catalog =
        ParseJsonLinesCatalog(testing::ReadFile(path), name);
    EXPECT_THAT(catalog.issues, IsEmpty()) << name << "\n"
                                           << Describe(catalog.issues);
    records += catalog.records.size();
    for (const CatalogRecord& record : catalog.records) {
      if (record.paper.venue() == "USENIX ATC") ++usenix_atc;
    }
  }
  EXPECT_EQ(records, 13090u);
  // The data writes "ATC"; the catalog uses the schedules' canonical name.
  EXPECT_EQ(usenix_atc, 496u);
}

}  // namespace
}  // namespace lectern
