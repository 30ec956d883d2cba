#include "tests/formats/grid_check.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai::testing {
namespace {

struct LabelKey {
  const char* needle;
  const char* stem;
};

// Table 三 leaf labels, most specific first.
constexpr LabelKey kTable3[] = {
    {"本年新收", "new"},
    {"上年结转", "carried_over"},
    {"予以公开", "granted"},
    {"部分公开", "partial"},
    {"国家秘密", "denied.state_secret"},
    {"其他法律行政", "denied.prohibited"},
    {"三安全一稳定", "denied.security_stability"},
    {"第三方合法权益", "denied.third_party"},
    {"内部事务", "denied.internal_affairs"},
    {"过程性信息", "denied.process_info"},
    {"行政执法案卷", "denied.enforcement_file"},
    {"行政查询事项", "denied.query"},
    {"不掌握", "unavailable.not_held"},
    {"另行制作", "unavailable.needs_creation"},
    {"仍不明确", "unavailable.unclear"},
    {"信访举报", "rejected.petition"},
    {"重复申请", "rejected.duplicate"},
    {"公开出版物", "rejected.publication"},
    {"大量反复", "rejected.excessive"},
    {"重新出具", "rejected.confirmation"},
    {"逾期不补正", "other.overdue_correction"},
    {"缴纳费用", "other.unpaid_fee"},
    {"其他处理", "other"},
    {"总计", "total"},
    {"结转下年度", "carried_forward"},
};
constexpr const char* kTable3Columns[] = {"natural", "commercial", "research",
                                          "social",  "legal",      "other_org",
                                          "total"};

struct Table2Row {
  const char* needle;
  const char* stem;
  std::vector<const char*> columns;
};

std::vector<Table2Row> Table2(bool f2019) {
  if (f2019) {
    return {{"规章", "rules", {"new_made", "new_published", "total_published"}},
            {"规范性文件", "normative", {"new_made", "new_published", "total_published"}},
            {"行政许可", "licensing", {"prev_items", "delta", "decisions"}},
            {"其他对外管理服务事项", "other_services", {"prev_items", "delta", "decisions"}},
            {"行政处罚", "penalty", {"prev_items", "delta", "decisions"}},
            {"行政强制", "coercion", {"prev_items", "delta", "decisions"}},
            {"行政事业性收费", "fees", {"prev_items", "delta"}},
            {"政府集中采购", "procurement", {"items", "amount_wan"}}};
  }
  return {{"规章", "rules", {"issued", "repealed", "in_force"}},
          {"规范性文件", "normative", {"issued", "repealed", "in_force"}},
          {"行政许可", "licensing", {"decisions"}},
          {"行政处罚", "penalty", {"decisions"}},
          {"行政强制", "coercion", {"decisions"}},
          {"行政事业性收费", "fees", {"amount_wan"}}};
}

bool IsNumberOrEmpty(const std::string& s) {
  double v;
  return s.empty() || GridNumber(s, &v);
}

}  // namespace

bool GridNumber(const std::string& raw, double* value) {
  if (raw.empty()) {
    *value = 0;
    return true;
  }
  absl::string_view s = raw;
  double scale = 1;
  if (absl::ConsumeSuffix(&s, "万元")) {
  } else if (absl::ConsumeSuffix(&s, "元")) {
    scale = 1.0 / 10000;
  }
  std::string plain;
  for (char c : s) {
    if (c != ',') plain.push_back(c);
  }
  double v;
  if (!absl::SimpleAtod(plain, &v)) return false;
  *value = v * scale;
  return true;
}

std::vector<GridCell> ReadGridCells(const std::string& grid_text, bool f2019) {
  std::vector<GridCell> out;
  std::vector<Table2Row> t2 = Table2(f2019);
  for (absl::string_view line : absl::StrSplit(grid_text, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    // Table 四: fifteen numbers and nothing else.
    size_t numbers = 0;
    for (const std::string& s : f) numbers += !s.empty() && IsNumberOrEmpty(s);
    if (f.size() == 15 && numbers == 15) {
      const char* groups[] = {"review", "suit_direct", "suit_after_review"};
      const char* cols[] = {"upheld", "corrected", "other", "pending", "total"};
      for (int g = 0; g < 3; ++g) {
        for (int c = 0; c < 5; ++c) {
          out.push_back({absl::StrCat("t4.", groups[g], ".", cols[c]), f[g * 5 + c]});
        }
      }
      continue;
    }
    // Table 三: a label, then seven numeric cells at the end.
    if (f.size() >= 8) {
      bool tail = true;
      for (size_t i = f.size() - 7; i < f.size(); ++i) tail = tail && IsNumberOrEmpty(f[i]);
      std::string label;
      for (size_t i = 0; i + 7 < f.size(); ++i) {
        if (!f[i].empty()) label = f[i];
      }
      if (tail && !label.empty() && numbers > 0) {
        const char* stem = nullptr;
        std::string compact;
        for (char c : label) {
          if (c != ' ') compact.push_back(c);
        }
        if (absl::EndsWith(compact, "3.其他")) stem = "other.other";
        for (const LabelKey& k : kTable3) {
          if (stem == nullptr && absl::StrContains(compact, k.needle)) stem = k.stem;
        }
        if (stem != nullptr) {
          for (int c = 0; c < 7; ++c) {
            out.push_back({absl::StrCat("t3.", stem, ".", kTable3Columns[c]),
                           f[f.size() - 7 + c]});
          }
          continue;
        }
      }
    }
    // Table 二: label first, then the block's columns.
    if (f.size() >= 2 && numbers > 0) {
      for (const Table2Row& row : t2) {
        if (!absl::StrContains(f[0], row.needle)) continue;
        for (size_t c = 0; c < row.columns.size() && c + 1 < f.size(); ++c) {
          out.push_back({absl::StrCat("t2.", row.stem, ".", row.columns[c]), f[c + 1]});
        }
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> GridMismatches(
    const std::string& grid_text,
    const std::map<std::string, std::string>& expected, bool f2019) {
  std::vector<std::string> problems;
  std::map<std::string, std::vector<std::string>> found;
  for (const GridCell& cell : ReadGridCells(grid_text, f2019)) {
    found[cell.key].push_back(cell.raw);
  }
  for (const auto& [key, text] : expected) {
    if (!absl::StartsWith(key, "t2.") && !absl::StartsWith(key, "t3.") &&
        !absl::StartsWith(key, "t4.")) {
      continue;
    }
    double value = 0;
    if (!absl::SimpleAtod(text, &value)) {
      problems.push_back(absl::StrCat(key, ": expected value '", text, "' is not a number"));
      continue;
    }
    auto it = found.find(key);
    if (it == found.end()) {
      problems.push_back(absl::StrCat(key, ": not in the grid"));
      continue;
    }
    if (it->second.size() != 1) {
      problems.push_back(absl::StrCat(key, ": read ", it->second.size(), " times"));
    }
    double got = 0;
    if (!GridNumber(it->second[0], &got) || std::fabs(got - value) > 1e-6) {
      problems.push_back(absl::StrCat(key, ": grid has '", it->second[0],
                                      "', expected ", value));
    }
  }
  for (const auto& [key, raws] : found) {
    if (expected.count(key) == 0) {
      problems.push_back(absl::StrCat(key, ": in the grid but not expected"));
    }
  }
  return problems;
}

}  // namespace gongkai::testing
