// Tests of the corpus generator: determinism, the expected cells'
// arithmetic, the layouts, and the digit-run oracle.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "common/report/decimal.h"
#include "common/report/template.h"
#include "gtest/gtest.h"
#include "tools/corpusgen/corpus_generator.h"
#include "tools/corpusgen/digit_run_oracle.h"

namespace gongkai {
namespace corpusgen {
namespace {

TEST(CorpusGeneratorTest, SameSeedSameBytes) {
  GeneratorOptions options;
  options.seed = 42;
  CorpusGenerator a(options), b(options);
  for (uint64_t i = 0; i < 60; ++i) {
    const GeneratedReport x = a.Generate(i), y = b.Generate(i);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.bytes, y.bytes) << x.name;
    EXPECT_EQ(x.ExpectedJson(), y.ExpectedJson()) << x.name;
  }
  // Order does not matter: report 7 alone equals report 7 in sequence.
  EXPECT_EQ(CorpusGenerator(options).Generate(7).bytes, a.Generate(7).bytes);
}

TEST(CorpusGeneratorTest, OtherSeedOtherBytes) {
  GeneratorOptions one, two;
  one.seed = 1;
  two.seed = 2;
  int same = 0;
  for (uint64_t i = 0; i < 20; ++i) {
    same += CorpusGenerator(one).Generate(i).bytes == CorpusGenerator(two).Generate(i).bytes;
  }
  EXPECT_EQ(same, 0);
}

std::map<std::string, Decimal> Values(const GeneratedReport& r) {
  std::map<std::string, Decimal> v;
  for (const auto& [key, text] : r.cells) {
    auto d = Decimal::Parse(text);
    EXPECT_TRUE(d.has_value()) << key << "=" << text;
    v[key] = d.value_or(Decimal());
  }
  return v;
}

TEST(CorpusGeneratorTest, CellsFollowTheTemplateAndFindingsMatchErrors) {
  GeneratorOptions options;
  options.seed = 7;
  options.error_share = 0.3;
  CorpusGenerator gen(options);
  int with_errors = 0, single_other = 0;
  std::set<std::string> layouts;
  for (uint64_t i = 0; i < 300; ++i) {
    const GeneratedReport r = gen.Generate(i);
    layouts.insert(std::string(LayoutName(r.layout)));
    TemplateVariant variant{r.format, r.single_other_row};
    std::vector<std::string> keys;
    for (const auto& [key, value] : r.cells) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, CellKeys(variant)) << r.name;
    EXPECT_EQ(r.format, r.year <= 2020 ? v1::REPORT_FORMAT_F2019 : v1::REPORT_FORMAT_F2021);
    EXPECT_TRUE(absl::StrContains(r.title, "示例")) << r.title;
    EXPECT_TRUE(absl::StrContains(r.title, r.organ)) << r.title;
    single_other += r.single_other_row;
    // A clean report keeps every rule; an injected error breaks at least one.
    EXPECT_EQ(r.has_injected_error, !r.expected_findings.empty()) << r.name;
    with_errors += r.has_injected_error;
    const auto v = Values(r);
    for (const auto& [key, value] : v) {
      if (!MayBeNegative(key)) {
        EXPECT_FALSE(value.is_negative()) << r.name << " " << key;
      }
      if (!IsMoneyKey(key)) {
        EXPECT_TRUE(value.is_integer()) << r.name << " " << key;
      }
    }
    for (const auto& f : r.expected_findings) {
      EXPECT_TRUE(f.rule == "R1" || f.rule == "R2" || f.rule == "R3" || f.rule == "R4");
      EXPECT_NE(f.expected, f.actual);
      EXPECT_EQ(v.at(f.keys.front()).ToString(), f.actual) << r.name << " " << f.rule;
    }
    if (r.layout != Layout::kDigitRun) {
      EXPECT_TRUE(r.undecidable.empty()) << r.name;
    }
  }
  EXPECT_GT(with_errors, 50);
  EXPECT_LT(with_errors, 130);
  EXPECT_GT(single_other, 0);
  EXPECT_EQ(layouts.size(), 6u);
}

TEST(CorpusGeneratorTest, LayoutsLookLikeTheirKind) {
  for (Layout layout : AllLayouts()) {
    GeneratorOptions options;
    options.layouts = {layout};
    // The first UTF-8 report (a share is written in GB18030).
    CorpusGenerator generator(options);
    GeneratedReport r = generator.Generate(3);
    for (uint64_t i = 4; r.encoding != "UTF-8" && i < 40; ++i) r = generator.Generate(i);
    ASSERT_EQ(r.encoding, "UTF-8") << LayoutName(layout);
    EXPECT_EQ(r.layout, layout);
    EXPECT_TRUE(absl::StrContains(r.bytes, "第二十条第")) << LayoutName(layout);
    switch (layout) {
      case Layout::kTsv:
        EXPECT_TRUE(absl::StrContains(r.bytes, "\t"));
        break;
      case Layout::kAligned:
        EXPECT_TRUE(absl::StrContains(r.bytes, "-1-"));
        EXPECT_FALSE(absl::StrContains(r.bytes, "\t"));
        break;
      case Layout::kPipe:
        EXPECT_TRUE(absl::StrContains(r.bytes, "|"));
        break;
      case Layout::kMarkdown:
        EXPECT_TRUE(absl::StrContains(r.bytes, "| --- |"));
        break;
      case Layout::kDigitRun:
        EXPECT_TRUE(absl::StrContains(r.bytes, "==== 正文 ===="));
        break;
      case Layout::kHtml:
        EXPECT_TRUE(absl::StrContains(r.bytes, "rowspan="));
        EXPECT_TRUE(absl::StrContains(r.bytes, "colspan="));
        EXPECT_TRUE(absl::EndsWith(r.name, ".html"));
        break;
    }
  }
}

TEST(CorpusGeneratorTest, SomeReportsAreDamagedOrGb18030) {
  CorpusGenerator gen(GeneratorOptions{});
  int gb18030 = 0, ocr_zero = 0;
  for (uint64_t i = 0; i < 400; ++i) {
    const GeneratedReport r = gen.Generate(i);
    if (r.encoding == "GB18030") {
      ++gb18030;
      // 示例 in GB18030 is CA BE C0 FD; the UTF-8 bytes must be gone.
      EXPECT_TRUE(absl::StrContains(r.bytes, "\xCA\xBE\xC0\xFD")) << r.name;
      EXPECT_FALSE(absl::StrContains(r.bytes, "示例")) << r.name;
    } else {
      EXPECT_EQ(r.encoding, "UTF-8");
      ocr_zero += absl::StrContains(r.bytes, "Ů");
    }
  }
  EXPECT_GT(gb18030, 10);
  EXPECT_LT(gb18030, 80);
  EXPECT_GT(ocr_zero, 0);
}

TEST(CorpusGeneratorTest, ExpectedJsonHasTheSeedSchema) {
  const GeneratedReport r = CorpusGenerator(GeneratorOptions{}).Generate(0);
  const std::string json = r.ExpectedJson();
  for (const char* field : {"\"source\"", "\"cells\"", "\"blank_cells\"", "\"expected_findings\"",
                            "\"undecidable\"", "\"meta.organ\"", "\"meta.year\"", "\"meta.format\""}) {
    EXPECT_TRUE(absl::StrContains(json, field)) << field;
  }
}

TEST(CorpusGeneratorTest, ParseLayoutsRejectsUnknownNames) {
  EXPECT_TRUE(ParseLayouts("tsv,html").ok());
  EXPECT_EQ(ParseLayouts("tsv,pdf").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseLayouts("").ok());
}

// The oracle on the pingtan 2021 runs quoted in shared/corpus's README:
// `640020470` alone has several R3 splits; with the columns it has one.
TEST(DigitRunOracleTest, RowRulesAloneLeaveARunOpen) {
  TemplateVariant variant{v1::REPORT_FORMAT_F2021, false};
  DigitRun run;
  for (const auto& col : T3Columns()) run.keys.push_back(T3Key("granted", col));
  run.text = "270020130";  // 27|0|0|2|0|1|30 or 2|7|0|0|20|1|30
  std::map<std::string, Decimal> truth;
  const int64_t values[] = {27, 0, 0, 2, 0, 1, 30};
  for (size_t c = 0; c < 7; ++c) truth[run.keys[c]] = Decimal::FromInt(values[c]);
  const auto open = UndecidableCells({run}, variant, truth);
  EXPECT_FALSE(open.empty());
  EXPECT_TRUE(std::find(open.begin(), open.end(), T3Key("granted", "natural")) != open.end());
}

TEST(DigitRunOracleTest, TableFourRunDecidedByR4) {
  TemplateVariant variant{v1::REPORT_FORMAT_F2021, false};
  DigitRun run;
  std::map<std::string, Decimal> truth;
  const int64_t values[] = {1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (const auto& g : T4Groups()) {
    for (const auto& c : T4Columns()) {
      run.keys.push_back(T4Key(g, c));
      truth[T4Key(g, c)] = Decimal::FromInt(values[i++]);
    }
  }
  run.text = "10203120001200000";  // pingtan 2021: one split only
  EXPECT_TRUE(UndecidableCells({run}, variant, truth).empty());
}

TEST(DigitRunOracleTest, TableTwoRunWithoutRulesIsOpen) {
  TemplateVariant variant{v1::REPORT_FORMAT_F2019, false};
  DigitRun run;
  run.keys = {"t2.normative.new_made", "t2.normative.new_published",
              "t2.normative.total_published"};
  run.text = "898989";
  std::map<std::string, Decimal> truth;
  for (const auto& k : run.keys) truth[k] = Decimal::FromInt(89);
  EXPECT_EQ(UndecidableCells({run}, variant, truth).size(), 3u);
  run.text = "000";
  for (const auto& k : run.keys) truth[k] = Decimal::FromInt(0);
  EXPECT_TRUE(UndecidableCells({run}, variant, truth).empty());
}

}  // namespace
}  // namespace corpusgen
}  // namespace gongkai
