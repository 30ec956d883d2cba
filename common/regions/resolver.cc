#include "common/regions/resolver.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/regions/division_table.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

// The evidence text scanned for ancestors' names is capped so a huge report
// cannot make resolution slow.
constexpr size_t kMaxEvidenceBytes = 64 << 10;
// Without an organ or title naming a division, the lines in the first
// kMaxHeadBytes of the text that mention 政府 and are at most
// kMaxHeadLineBytes long are tried as the body's name.
constexpr size_t kMaxHeadBytes = 600;
constexpr size_t kMaxHeadLineBytes = 90;

bool IsUtf8Boundary(absl::string_view text, size_t pos) {
  return pos >= text.size() || (static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80;
}

// Removes ASCII and ideographic spaces.
std::string Compact(absl::string_view text) {
  std::string out = absl::StrReplaceAll(text, {{"\xE3\x80\x80", ""}});
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](unsigned char c) { return absl::ascii_isspace(c); }),
            out.end());
  return out;
}

// A title often starts with the year ("2020年汤旺县…"); the body name follows.
absl::string_view SkipLeadingYear(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  if (pos > 0 && absl::StartsWith(text.substr(pos), "年")) return text.substr(pos + 3);
  if (pos > 0 && absl::StartsWith(text.substr(pos), "年度")) return text.substr(pos + 6);
  return text;
}

// One step of the name chain at the start of an organ name.
struct Step {
  std::vector<int32_t> candidates;
  size_t end = 0;
  bool by_short_name = false;
};

class Resolution {
 public:
  explicit Resolution(const DivisionTable& table) : table_(table) {}

  // Parses the longest chain of nested division names at the start of
  // `organ`. Returns false when the first name is not a division.
  bool ParseChain(absl::string_view organ) {
    steps_.clear();
    size_t pos = 0;
    while (pos < organ.size()) {
      Step step;
      if (!MatchAt(organ, pos, &step)) break;
      if (!steps_.empty()) {
        // Keep only units inside the previous step's candidates, and narrow
        // the previous step to the ones that contain a match.
        std::vector<int32_t> inside;
        std::vector<int32_t> outer;
        for (int32_t inner : step.candidates) {
          for (int32_t prev : steps_.back().candidates) {
            if (inner != prev && table_.IsWithin(table_.at(inner), table_.at(prev))) {
              inside.push_back(inner);
              if (std::find(outer.begin(), outer.end(), prev) == outer.end()) outer.push_back(prev);
            }
          }
        }
        if (inside.empty()) break;
        steps_.back().candidates = outer;
        step.candidates = inside;
      }
      pos = step.end;
      steps_.push_back(std::move(step));
    }
    remainder_ = std::string(organ.substr(pos));
    return !steps_.empty();
  }

  const std::vector<Step>& steps() const { return steps_; }
  const std::string& remainder() const { return remainder_; }

 private:
  bool MatchAt(absl::string_view organ, size_t pos, Step* step) const {
    size_t longest = std::min(table_.max_name_bytes(), organ.size() - pos);
    for (size_t length = longest; length >= 6; --length) {
      if (!IsUtf8Boundary(organ, pos + length)) continue;
      absl::string_view piece = organ.substr(pos, length);
      const std::vector<int32_t>& full = table_.FindName(piece);
      if (!full.empty()) {
        step->candidates = full;
        step->end = pos + length;
        return true;
      }
      const std::vector<int32_t>& short_names = table_.FindShortName(piece);
      if (!short_names.empty() && !StartsWithNameSuffix(organ.substr(pos + length))) {
        step->candidates = short_names;
        step->end = pos + length;
        step->by_short_name = true;
        return true;
      }
    }
    return false;
  }

  // "西安区" must not match the short name "西安" of 西安市 and leave "区".
  static bool StartsWithNameSuffix(absl::string_view rest) {
    for (absl::string_view suffix : {"省", "市", "县", "区", "旗", "盟", "镇", "乡"}) {
      if (absl::StartsWith(rest, suffix)) return true;
    }
    return false;
  }

  const DivisionTable& table_;
  std::vector<Step> steps_;
  std::string remainder_;
};

bool ContainsAny(absl::string_view text, std::initializer_list<absl::string_view> words) {
  for (absl::string_view word : words) {
    if (absl::StrContains(text, word)) return true;
  }
  return false;
}

bool EndsWithAny(absl::string_view text, std::initializer_list<absl::string_view> words) {
  for (absl::string_view word : words) {
    if (absl::EndsWith(text, word)) return true;
  }
  return false;
}

// NBS codes county-level units 71–79 for development zones (…高新技术产业开发区).
bool IsZoneCode(const Division& division) {
  if (division.level != v1::REGION_LEVEL_COUNTY) return false;
  return division.code[4] == '7';
}

// Classifies the body from what follows the division names in the organ.
v1::BodyKind Classify(const Division& division, absl::string_view remainder) {
  static const std::initializer_list<absl::string_view> kGovernment = {
      "", "人民政府", "政府", "人民政府办公室", "政府办公室", "人民政府办公厅", "政府办公厅",
      "人民政府办", "政府办", "办事处", "街道办事处", "人民政府政务公开办公室"};
  if (ContainsAny(remainder, {"开发区", "实验区", "高新区", "园区", "新区", "示范区", "保税区",
                              "管委会", "管理委员会"})) {
    return v1::BODY_KIND_DEVELOPMENT_ZONE;
  }
  if (ContainsAny(division.name, {"开发区", "实验区", "园区", "示范区"}) || IsZoneCode(division)) {
    return remainder.empty() || ContainsAny(remainder, {"政府", "管理"})
               ? v1::BODY_KIND_DEVELOPMENT_ZONE
               : v1::BODY_KIND_DEPARTMENT;
  }
  for (absl::string_view government : kGovernment) {
    if (remainder == government) return v1::BODY_KIND_GOVERNMENT;
  }
  if (ContainsAny(remainder, {"法院", "检察院", "公司", "大学", "学院", "学校", "医院"})) {
    return v1::BODY_KIND_OTHER;
  }
  if (EndsWithAny(remainder, {"局", "委员会", "委", "办公室", "办", "厅", "中心", "署", "处",
                              "所", "队", "站", "部"})) {
    return v1::BODY_KIND_DEPARTMENT;
  }
  return v1::BODY_KIND_OTHER;
}

void AddDiagnostic(v1::AnnualReport* report, absl::string_view code, std::string message) {
  v1::Diagnostic* diagnostic = report->add_diagnostics();
  diagnostic->set_severity(v1::SEVERITY_WARNING);
  diagnostic->set_code(std::string(code));
  diagnostic->set_message(std::move(message));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RegionResolver>> RegionResolver::LoadDefault() {
  auto table = DivisionTable::Embedded();
  if (!table.ok()) return table.status();
  return std::make_unique<RegionResolver>(*std::move(table));
}

RegionResolver::RegionResolver(std::shared_ptr<const DivisionTable> table)
    : table_(std::move(table)) {}

RegionResolver::~RegionResolver() = default;

namespace {

void FillRegion(const DivisionTable& table, const Division& division, v1::ReportMeta* meta) {
  meta->set_region_code(DivisionTable::DisplayCode(division));
  if (const Division* province = table.AncestorAt(division, v1::REGION_LEVEL_PROVINCE)) {
    meta->set_province(std::string(province->name));
  }
  const Division* city = table.AncestorAt(division, v1::REGION_LEVEL_CITY);
  if (city != nullptr && !DivisionTable::IsPlaceholder(*city)) {
    meta->set_city(std::string(city->name));
  }
  if (const Division* county = table.AncestorAt(division, v1::REGION_LEVEL_COUNTY)) {
    meta->set_county(std::string(county->name));
  }
}

std::string Describe(const DivisionTable& table, const Division& division) {
  std::vector<std::string> names;
  for (const Division* d = &division; d != nullptr && d->level != v1::REGION_LEVEL_COUNTRY;
       d = table.parent(*d)) {
    if (!DivisionTable::IsPlaceholder(*d)) names.emplace_back(d->name);
  }
  std::reverse(names.begin(), names.end());
  return absl::StrCat(absl::StrJoin(names, ""), " (", DivisionTable::DisplayCode(division), ")");
}

}  // namespace

void RegionResolver::Resolve(absl::string_view stated_region_code,
                             v1::AnnualReport* report) const {
  const DivisionTable& table = *table_;
  v1::ReportMeta* meta = report->mutable_meta();
  meta->clear_region_code();
  meta->clear_province();
  meta->clear_city();
  meta->clear_county();
  meta->clear_region_confidence();
  meta->clear_region_evidence();
  meta->clear_body_kind();
  meta->clear_body_level();

  // The organ's name chain, from meta.organ or else the title.
  Resolution resolution(table);
  std::string organ = Compact(meta->organ());
  bool found = !organ.empty() && resolution.ParseChain(SkipLeadingYear(organ));
  std::string source = "organ";
  if (!found) {
    organ = Compact(meta->title());
    found = !organ.empty() && resolution.ParseChain(SkipLeadingYear(organ));
    source = "title";
  }
  if (!found) {
    // A title split over lines ("洪泽区人民政府" / "2023 年政府信息公开工作年度
    // 报告") leaves the body on a line of its own near the top.
    absl::string_view text = report->normalized_text();
    text = text.substr(0, std::min(text.size(), kMaxHeadBytes));
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      std::string compact = Compact(line);
      if (compact.empty() || compact.size() > kMaxHeadLineBytes ||
          !absl::StrContains(compact, "政府")) {
        continue;
      }
      if (resolution.ParseChain(SkipLeadingYear(compact))) {
        organ = compact;
        found = true;
        source = "a heading line";
        break;
      }
    }
  }

  if (!stated_region_code.empty()) {
    const Division* stated = table.FindCode(stated_region_code);
    if (stated == nullptr || stated->level == v1::REGION_LEVEL_COUNTRY) {
      meta->set_region_evidence(
          absl::StrCat("stated region code '", stated_region_code, "' is unknown"));
      AddDiagnostic(report, "region.unknown_code",
                    absl::StrCat("stated region code '", stated_region_code,
                                 "' is not in the division table"));
      return;
    }
    FillRegion(table, *stated, meta);
    meta->set_region_confidence(1.0);
    meta->set_region_evidence(absl::StrCat("stated by the caller: ", Describe(table, *stated)));
    meta->set_body_level(stated->level);
    // The body's kind still comes from its name (…教育局 is a department).
    meta->set_body_kind(Classify(*stated, found ? resolution.remainder() : std::string()));
    return;
  }

  if (!found) {
    meta->set_region_evidence("no division name found in the organ or title");
    AddDiagnostic(report, "region.unresolved",
                  "the reporting body's region could not be found in the organ or title");
    return;
  }

  // Candidates of the innermost name; drop those nested in another candidate
  // (东莞市 is both a city and its own county-level unit).
  const std::vector<Step>& steps = resolution.steps();
  std::vector<const Division*> candidates;
  for (int32_t index : steps.back().candidates) candidates.push_back(&table.at(index));
  candidates.erase(
      std::remove_if(candidates.begin(), candidates.end(),
                     [&](const Division* c) {
                       return std::any_of(candidates.begin(), candidates.end(),
                                          [&](const Division* other) {
                                            return other != c && table.IsWithin(*c, *other);
                                          });
                     }),
      candidates.end());

  // Positions are into the organ without its leading year.
  std::string matched(SkipLeadingYear(organ).substr(0, steps.back().end));
  bool by_short_name = std::any_of(steps.begin(), steps.end(),
                                   [](const Step& step) { return step.by_short_name; });

  const Division* chosen = nullptr;
  double confidence = 0;
  std::string evidence;
  int32_t year = meta->year();

  if (candidates.size() == 1) {
    chosen = candidates.front();
    confidence = by_short_name ? 0.9 : 1.0;
    evidence = absl::StrCat(source, " names ", matched, ": unique match ", Describe(table, *chosen));
    if (!chosen->ValidIn(year)) {
      confidence = std::min(confidence, 0.8);
      absl::StrAppend(&evidence, "; note: the unit is not known valid in ", year);
    }
  } else {
    // 1. By year: keep the units valid in the report's year.
    std::vector<const Division*> valid;
    for (const Division* c : candidates) {
      if (c->ValidIn(year)) valid.push_back(c);
    }
    bool year_decided = !valid.empty() && valid.size() < candidates.size();
    if (valid.empty()) valid = candidates;

    // 2. By the ancestors the text names (the organ's own text, the title,
    //    and the documents the sections cite).
    std::string text = meta->title();
    for (const v1::Section& section : report->sections()) {
      if (text.size() >= kMaxEvidenceBytes) break;
      absl::StrAppend(&text, "\n", section.text().substr(0, kMaxEvidenceBytes - text.size()));
    }
    if (report->sections().empty()) {
      absl::StrAppend(&text, "\n",
                      report->normalized_text().substr(0, kMaxEvidenceBytes));
    }
    std::vector<int> scores;
    std::vector<std::string> reasons;
    for (const Division* c : valid) {
      int score = 0;
      std::vector<std::string> named;
      for (const Division* a = table.parent(*c); a != nullptr; a = table.parent(*a)) {
        if (a->level == v1::REGION_LEVEL_COUNTRY || DivisionTable::IsPlaceholder(*a)) continue;
        absl::string_view short_name = DivisionTable::ShortName(a->name);
        if (absl::StrContains(text, a->name)) {
          score += 2;
          named.emplace_back(a->name);
        } else if (short_name.size() != a->name.size() && absl::StrContains(text, short_name)) {
          score += 1;
          named.emplace_back(short_name);
        }
      }
      scores.push_back(score);
      reasons.push_back(named.empty() ? std::string("no ancestor named")
                                      : absl::StrCat("text names ", absl::StrJoin(named, ", ")));
    }
    int best = -1;
    int best_count = 0;
    size_t best_index = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      if (scores[i] > best) {
        best = scores[i];
        best_count = 1;
        best_index = i;
      } else if (scores[i] == best) {
        ++best_count;
      }
    }
    std::vector<std::string> listed;
    for (const Division* c : candidates) listed.push_back(Describe(table, *c));
    if (valid.size() == 1) {
      chosen = valid.front();
      confidence = 0.7;
      evidence = absl::StrCat(source, " names ", matched, ", ", candidates.size(),
                              " units so named (", absl::StrJoin(listed, ", "), "); only ",
                              Describe(table, *chosen), " existed in ", year);
    } else if (best > 0 && best_count == 1) {
      chosen = valid[best_index];
      confidence = 0.8;
      evidence = absl::StrCat(source, " names ", matched, ", ", candidates.size(),
                              " units so named (", absl::StrJoin(listed, ", "), "); chose ",
                              Describe(table, *chosen), ": ", reasons[best_index],
                              year_decided ? "; others not valid in the report year" : "");
    } else {
      meta->set_region_evidence(absl::StrCat(source, " names ", matched, ", ", candidates.size(),
                                             " units so named (", absl::StrJoin(listed, ", "),
                                             ") and the text does not tell them apart"));
      AddDiagnostic(report, "region.ambiguous",
                    absl::StrCat("'", matched, "' names ", candidates.size(),
                                 " divisions and the text does not tell them apart"));
      return;
    }
  }

  FillRegion(table, *chosen, meta);
  meta->set_region_confidence(confidence);
  meta->set_region_evidence(evidence);
  meta->set_body_level(chosen->level);
  meta->set_body_kind(Classify(*chosen, resolution.remainder()));
}

}  // namespace gongkai
