#include "common/validate/text_rules.h"

#include <algorithm>
#include <string.h>

#include <array>
#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/report/template.h"
#include "common/validate/rules.h"

namespace gongkai {
namespace {

using v1::AnnualReport;
using v1::Finding;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void SkipSpaces(absl::string_view* s) {
  while (!s->empty()) {
    if ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\n' || (*s)[0] == '\r') {
      s->remove_prefix(1);
    } else if (absl::StartsWith(*s, "\u3000")) {
      s->remove_prefix(3);
    } else {
      return;
    }
  }
}

// Consumes the first of `options` that `s` starts with (list longer options
// first). True when one was consumed.
bool ConsumeAny(absl::string_view* s, const std::vector<absl::string_view>& options) {
  for (absl::string_view option : options) {
    if (absl::ConsumePrefix(s, option)) return true;
  }
  return false;
}

// A whole number of at most 9 digits, optionally with thousands separators
// ("33,764").
std::optional<int64_t> ConsumeCount(absl::string_view* s) {
  if (s->empty() || !IsDigit((*s)[0])) return std::nullopt;
  int64_t value = 0;
  int digits = 0;
  size_t i = 0;
  while (i < s->size()) {
    char c = (*s)[i];
    if (IsDigit(c)) {
      if (++digits > 9) return std::nullopt;
      value = value * 10 + (c - '0');
      ++i;
    } else if (c == ',' && i + 1 < s->size() && IsDigit((*s)[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  // A decimal point makes it a ratio or an amount, not a count.
  if (i < s->size() && (*s)[i] == '.') return std::nullopt;
  s->remove_prefix(i);
  return value;
}

// Rows of a table whose cells (and their sums) a quoted number may stand for.
struct RowGroup {
  std::vector<std::string> stems;  // "t3.new", "t4.review", "t2.normative"
  std::vector<std::string> parts;  // the columns that add up
  std::string total;               // the total column, or ""
};

// One unambiguous phrase: keyword [fillers] [noun] [fillers] N unit.
struct Phrase {
  absl::string_view keyword;
  std::vector<absl::string_view> fillers_before_noun;
  absl::string_view noun;
  std::vector<absl::string_view> fillers;
  std::vector<std::string> obvious;  // keys whose sum the phrase names
  std::vector<RowGroup> related;
  std::vector<std::string> also_cells;  // single cells also accepted
};

RowGroup T3Group(const std::vector<std::string>& rows) {
  RowGroup group{{}, T3ApplicantColumns(), "total"};
  for (const std::string& row : rows) group.stems.push_back(absl::StrCat("t3.", row));
  return group;
}

RowGroup T4Group(const std::vector<std::string>& groups) {
  RowGroup group{{}, {"upheld", "corrected", "other", "pending"}, "total"};
  for (const std::string& g : groups) group.stems.push_back(absl::StrCat("t4.", g));
  return group;
}

std::vector<std::string> RowsWithPrefix(const TemplateVariant& variant,
                                        absl::string_view prefix) {
  std::vector<std::string> rows;
  for (const std::string& row : T3OutcomeLeafRows(variant)) {
    if (row == prefix || absl::StartsWith(row, absl::StrCat(prefix, "."))) {
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<std::string> TotalKeys(const std::vector<std::string>& rows) {
  std::vector<std::string> keys;
  for (const std::string& row : rows) keys.push_back(T3Key(row, "total"));
  return keys;
}

std::vector<Phrase> Phrases(const TemplateVariant& variant) {
  const std::vector<absl::string_view> kCountFillers = {
      "共计", "合计", "总计", "累计", "共", "计", "的", ":", "："};
  const std::vector<absl::string_view> kCaseFillers = {
      "案件", "申请", "共计", "合计", "总计", "共", "计", ":", "："};
  std::vector<Phrase> phrases;
  // Applications: the 本年新收 row and the 总计 column of table 三.
  std::vector<std::string> total_column;
  for (const std::string& row : T3Rows(variant)) total_column.push_back(T3Key(row, "total"));
  phrases.push_back({"政府信息公开申请", {}, "", kCountFillers,
                     {T3Key("new", "total")},
                     {T3Group({"new"})},
                     total_column});
  phrases.push_back({"行政复议", {}, "", kCaseFillers,
                     {T4Key("review", "total")},
                     {T4Group({"review"})},
                     {}});
  phrases.push_back({"行政诉讼", {}, "", kCaseFillers,
                     {T4Key("suit_direct", "total"), T4Key("suit_after_review", "total")},
                     {T4Group({"suit_direct", "suit_after_review"})},
                     {}});
  const std::vector<T2Row>& t2 = T2Rows(variant.format);
  for (const T2Row& row : t2) {
    if (row.stem != "t2.normative") continue;
    RowGroup normative{{row.stem}, row.columns, ""};
    const bool f2021 = variant.format == v1::REPORT_FORMAT_F2021;
    phrases.push_back({"制发", {"本年度", "了", "的", "行政"}, "规范性文件",
                       kCountFillers,
                       {absl::StrCat(row.stem, f2021 ? ".issued" : ".new_made")},
                       {normative},
                       {}});
    if (f2021) {
      phrases.push_back({"现行有效", {"的", "行政"}, "规范性文件", kCountFillers,
                         {absl::StrCat(row.stem, ".in_force")},
                         {normative},
                       {}});
    }
  }
  struct Outcome {
    absl::string_view keyword;
    std::vector<std::string> rows;
    std::vector<std::string> group_rows;
  };
  const std::vector<Outcome> outcomes = {
      {"予以公开", {"granted"}, {"granted", "partial"}},
      {"部分公开", {"partial"}, {"granted", "partial"}},
      {"不予公开", RowsWithPrefix(variant, "denied"), RowsWithPrefix(variant, "denied")},
      {"无法提供", RowsWithPrefix(variant, "unavailable"),
       RowsWithPrefix(variant, "unavailable")},
      {"不予处理", RowsWithPrefix(variant, "rejected"), RowsWithPrefix(variant, "rejected")},
      {"其他处理", RowsWithPrefix(variant, "other"), RowsWithPrefix(variant, "other")},
  };
  for (const Outcome& outcome : outcomes) {
    phrases.push_back({outcome.keyword, {}, "", kCountFillers, TotalKeys(outcome.rows),
                       {T3Group(outcome.group_rows)}, {}});
  }
  return phrases;
}

// Phrases() of each of the four template variants, built once.
const std::vector<Phrase>& CachedPhrases(const TemplateVariant& variant) {
  if (variant.format == v1::REPORT_FORMAT_F2021) {
    if (variant.single_other_row) {
      static const auto* const kSingle = new std::vector<Phrase>(Phrases(variant));
      return *kSingle;
    }
    static const auto* const kSplit = new std::vector<Phrase>(Phrases(variant));
    return *kSplit;
  }
  if (variant.single_other_row) {
    static const auto* const kF2019Single = new std::vector<Phrase>(Phrases(variant));
    return *kF2019Single;
  }
  static const auto* const kF2019 = new std::vector<Phrase>(Phrases(variant));
  return *kF2019;
}

// The first `needle` in `text` at or after `from`, or npos. glibc's memmem:
// several times faster than a first-byte scan on Chinese text, where the
// first byte of a character recurs everywhere.
size_t Find(absl::string_view text, absl::string_view needle, size_t from) {
  if (from > text.size()) return absl::string_view::npos;
  const void* at =
      memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return at == nullptr ? absl::string_view::npos
                       : static_cast<const char*>(at) - text.data();
}

// Every value the phrase may legitimately quote: each cell of the related
// rows, each row's sum of parts, each column's sum over the rows, and the
// sum of all parts. Ambiguous cells contribute every reading.
absl::flat_hash_set<int64_t> AcceptedValues(const ReportCells& cells,
                                            const Phrase& phrase) {
  // A sum that stops counting once one of its cells is unknown.
  struct Sum {
    Decimal value;
    bool known = true;
    void Add(const std::optional<ReportCells::Value>& v) {
      if (v) {
        value += v->value;
      } else {
        known = false;
      }
    }
  };
  absl::flat_hash_set<int64_t> accepted;
  for (const RowGroup& group : phrase.related) {
    std::vector<std::string> columns = group.parts;
    if (!group.total.empty()) columns.push_back(group.total);
    std::vector<Sum> column_sums(columns.size());
    Sum grand;
    for (const std::string& stem : group.stems) {
      Sum row_sum;
      for (size_t c = 0; c < columns.size(); ++c) {
        const std::string key = absl::StrCat(stem, ".", columns[c]);
        const std::optional<ReportCells::Value> value = cells.Get(key);
        column_sums[c].Add(value);
        if (c < group.parts.size()) {
          row_sum.Add(value);
          grand.Add(value);
        }
        if (!value) continue;
        accepted.insert(value->value.units());
        if (const v1::Cell* cell = cells.Find(key)) {
          for (const std::string& alternative : cell->alternatives()) {
            if (auto parsed = Decimal::Parse(alternative)) accepted.insert(parsed->units());
          }
        }
      }
      if (row_sum.known) accepted.insert(row_sum.value.units());
    }
    for (const Sum& sum : column_sums) {
      if (sum.known) accepted.insert(sum.value.units());
    }
    if (grand.known) accepted.insert(grand.value.units());
  }
  for (const std::string& key : phrase.also_cells) {
    if (std::optional<ReportCells::Value> value = cells.Get(key)) {
      accepted.insert(value->value.units());
    }
  }
  return accepted;
}

// `text` without a UTF-8 sequence cut off at its end.
absl::string_view TrimPartialUtf8(absl::string_view text) {
  size_t start = text.size();
  int continuation = 0;
  while (start > 0 && continuation < 4 &&
         (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80) {
    --start;
    ++continuation;
  }
  if (start == 0) return text.substr(0, 0);
  const unsigned char lead = static_cast<unsigned char>(text[start - 1]);
  const int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (continuation + 1 < length) return text.substr(0, start - 1);
  return text;
}

// Dates "[YYYY年]M月D日" in `text`, in order.
std::vector<PrintedDate> ScanDates(absl::string_view text) {
  std::vector<PrintedDate> dates;
  int year = 0;
  while (!text.empty()) {
    if (!IsDigit(text[0])) {
      text.remove_prefix(1);
      continue;
    }
    int number = 0;
    int digits = 0;
    while (!text.empty() && IsDigit(text[0])) {
      if (digits < 6) number = number * 10 + (text[0] - '0');
      ++digits;
      text.remove_prefix(1);
    }
    SkipSpaces(&text);
    if (absl::ConsumePrefix(&text, "年")) {
      if (digits == 4) year = number;
      continue;
    }
    if (!absl::ConsumePrefix(&text, "月")) continue;
    SkipSpaces(&text);
    absl::string_view rest = text;
    std::optional<int64_t> day = ConsumeCount(&rest);
    if (!day) continue;
    SkipSpaces(&rest);
    if (!absl::ConsumePrefix(&rest, "日")) continue;
    text = rest;
    dates.push_back({year, number, static_cast<int>(*day)});
  }
  return dates;
}

}  // namespace

std::string RemoveWhitespace(absl::string_view text) {
  // Bytes that may start whitespace: ASCII spaces and 0xE3 (U+3000 is
  // E3 80 80).
  static const auto* const kMayStart = [] {
    auto* table = new std::array<bool, 256>();
    for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) (*table)[c] = true;
    (*table)[0xE3] = true;
    return table;
  }();
  std::string out;
  out.reserve(text.size());
  // Copies the runs between whitespace in one go.
  size_t run = 0;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!(*kMayStart)[c]) {
      ++i;
      continue;
    }
    size_t skip = 1;
    if (c == 0xE3) {
      if (i + 2 >= text.size() || text[i + 1] != '\x80' || text[i + 2] != '\x80') {
        ++i;
        continue;
      }
      skip = 3;  // U+3000
    }
    out.append(text.data() + run, i - run);
    i += skip;
    run = i;
  }
  out.append(text.data() + run, text.size() - run);
  return out;
}

std::string ReportText(const AnnualReport& report) {
  if (report.sections_size() == 0) return report.normalized_text();
  std::string text;
  for (const v1::Section& section : report.sections()) {
    absl::StrAppend(&text, section.heading(), "\n", section.text(), "\n");
  }
  return text;
}

std::vector<Finding> CheckQuotedCounts(const ReportCells& cells,
                                       absl::string_view spaced_text) {
  std::vector<Finding> findings;
  const std::string compact = RemoveWhitespace(spaced_text);
  const absl::string_view text = compact;
  const v1::ReportMeta& meta = cells.report().meta();
  if (meta.format() != v1::REPORT_FORMAT_F2019 && meta.format() != v1::REPORT_FORMAT_F2021) {
    return findings;
  }
  const TemplateVariant variant{meta.format(), meta.single_other_row()};
  const RuleInfo& t1 = *FindRule("T1");
  const std::vector<absl::string_view> kUnits = {"件", "个", "起", "宗"};
  absl::flat_hash_set<std::string> seen;
  for (const Phrase& phrase : CachedPhrases(variant)) {
    // The table quantity the phrase names; skip the phrase when unknown.
    // The table quantity the phrase names, with every reading when it is one
    // ambiguous cell; skip the phrase when unknown or a sum of unsure cells.
    Decimal obvious;
    std::vector<Decimal> readings;
    bool known = !phrase.obvious.empty();
    for (const std::string& key : phrase.obvious) {
      std::optional<ReportCells::Value> value = cells.Get(key);
      if (!value) {
        known = false;
        break;
      }
      if (value->state == v1::CELL_STATE_AMBIGUOUS) {
        if (phrase.obvious.size() != 1) {
          known = false;
          break;
        }
        readings = cells.Readings(key);
      }
      obvious += value->value;
    }
    if (!known) continue;
    const bool unsure = !readings.empty();
    std::optional<absl::flat_hash_set<int64_t>> accepted;
    for (size_t pos = Find(text, phrase.keyword, 0); pos != absl::string_view::npos;
         pos = Find(text, phrase.keyword, pos + phrase.keyword.size())) {
      // "行政复议和行政诉讼共N件", "予以公开及部分公开N件": a combined count.
      const absl::string_view before = text.substr(0, pos);
      if (absl::EndsWith(before, "和") || absl::EndsWith(before, "及") ||
          absl::EndsWith(before, "与") || absl::EndsWith(before, "或")) {
        continue;
      }
      absl::string_view rest = text.substr(pos + phrase.keyword.size());
      SkipSpaces(&rest);
      while (ConsumeAny(&rest, phrase.fillers_before_noun)) SkipSpaces(&rest);
      if (!phrase.noun.empty() && !absl::ConsumePrefix(&rest, phrase.noun)) continue;
      SkipSpaces(&rest);
      while (ConsumeAny(&rest, phrase.fillers)) SkipSpaces(&rest);
      std::optional<int64_t> count = ConsumeCount(&rest);
      if (!count) continue;
      SkipSpaces(&rest);
      if (!ConsumeAny(&rest, kUnits)) continue;
      const Decimal quoted = Decimal::FromInt(*count);
      if (quoted == obvious) continue;
      if (std::find(readings.begin(), readings.end(), quoted) != readings.end()) continue;
      if (!accepted) accepted = AcceptedValues(cells, phrase);
      if (accepted->contains(quoted.units())) continue;
      const absl::string_view excerpt =
          text.substr(pos, text.size() - pos - rest.size());
      const std::string keys = absl::StrJoin(phrase.obvious, "+");
      if (!seen.insert(absl::StrCat(keys, "=", *count)).second) continue;
      // The checked cells are the table's: `actual` is what the table prints,
      // `expected` what the text quotes.
      const std::string expected = quoted.ToString();
      const std::string actual = obvious.ToString();
      findings.push_back(MakeFinding(
          t1, phrase.obvious, expected, actual, (obvious - quoted).ToString(),
          absl::StrCat("正文“", excerpt, "”与表格不符：正文为 ", expected, "，表格 ", keys,
                       " 为 ", actual,
                       unsure ? "（该单元格读数不确定，但任何读数均不等于正文）" : ""),
          absl::StrCat("the text quotes ", expected, " (\"", excerpt,
                       "\") but the table has ", actual, " in ", keys,
                       unsure ? " (the cell is ambiguous, but no reading equals the text)"
                              : "")));
    }
  }
  return findings;
}

std::optional<StatisticsPeriod> FindStatisticsPeriod(const AnnualReport& report,
                                                     absl::string_view text) {
  if (!report.meta().statistics_period().empty()) {
    StatisticsPeriod period{report.meta().statistics_period(),
                            ScanDates(report.meta().statistics_period())};
    if (!period.dates.empty()) return period;
  }
  for (absl::string_view marker : {"统计期限", "统计期"}) {
    size_t pos = text.find(marker);
    if (pos == absl::string_view::npos) continue;
    absl::string_view window = text.substr(pos + marker.size(), 160);
    size_t end = window.size();
    for (absl::string_view stop : {"止", "。"}) {
      size_t at = window.find(stop);
      if (at != absl::string_view::npos && at + stop.size() < end) end = at + stop.size();
    }
    window = window.substr(0, end);
    window = TrimPartialUtf8(window);
    std::vector<PrintedDate> dates = ScanDates(window);
    if (!dates.empty()) return StatisticsPeriod{std::string(window), std::move(dates)};
  }
  return std::nullopt;
}

}  // namespace gongkai
