#include "tools/corpusgen/corpus_generator.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "unicode/ucnv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/regions/division_table.h"
#include "tools/corpusgen/digit_run_oracle.h"
#include "tools/corpusgen/layouts.h"
#include "tools/corpusgen/prng.h"
#include "tools/corpusgen/prose.h"
#include "tools/corpusgen/report_spec.h"

namespace gongkai {
namespace corpusgen {
namespace {

using gongkai::v1::REPORT_FORMAT_F2019;
using gongkai::v1::REPORT_FORMAT_F2021;

// A real county-level unit of the embedded division table
// (common/regions/data/divisions.tsv) with its city, province and townships.
struct Place {
  std::string code;  // 6 digits
  absl::string_view province;
  absl::string_view city;
  absl::string_view county;
  // True when another unit has the county's name (the title then names the
  // city too, as such reports do, so that the region resolves).
  bool county_name_shared = false;
  std::vector<const Division*> towns;
};

// True for a county (县, 市, 区, 旗) or township (镇, 乡, 街道) with a
// government of its own; false for the management committees, farms and
// development zones the NBS table also lists at those levels.
bool IsGovernedUnit(absl::string_view name) {
  for (absl::string_view word : {"管理", "开发", "示范", "园", "农场", "林场", "办事处"}) {
    if (absl::StrContains(name, word)) return false;
  }
  for (absl::string_view suffix : {"县", "市", "区", "旗", "镇", "乡", "街道"}) {
    if (absl::EndsWith(name, suffix)) return true;
  }
  return false;
}

// Every current county-level unit that has townships and a named city (the
// municipalities' districts and the units directly under a province, whose
// "city" is an NBS placeholder, are left out), in code order: ≈ 2,700
// places, so that a national corpus has tens of thousands of bodies. Built
// once from the table compiled into the binary, so the corpus depends only
// on (seed, index, options) and that table.
const std::vector<Place>& Places() {
  static const std::vector<Place>* const kPlaces = [] {
    auto* places = new std::vector<Place>();
    absl::StatusOr<std::shared_ptr<const DivisionTable>> loaded = DivisionTable::Embedded();
    if (!loaded.ok()) return places;
    // Kept alive for the string_views.
    static std::shared_ptr<const DivisionTable> table = *loaded;
    std::vector<int32_t> place_of(table->size(), -1);
    for (size_t i = 0; i < table->size(); ++i) {
      const Division& county = table->at(static_cast<int32_t>(i));
      if (county.level != v1::REGION_LEVEL_COUNTY || county.valid_until != 0) continue;
      const Division* city = table->parent(county);
      const Division* province = city == nullptr ? nullptr : table->parent(*city);
      if (city == nullptr || province == nullptr || city->level != v1::REGION_LEVEL_CITY ||
          DivisionTable::IsPlaceholder(*city) || !IsGovernedUnit(county.name)) {
        continue;
      }
      place_of[i] = static_cast<int32_t>(places->size());
      Place place;
      place.code = DivisionTable::DisplayCode(county);
      place.province = province->name;
      place.city = city->name;
      place.county = county.name;
      place.county_name_shared = table->FindName(county.name).size() > 1;
      places->push_back(std::move(place));
    }
    for (size_t i = 0; i < table->size(); ++i) {
      const Division& town = table->at(static_cast<int32_t>(i));
      if (town.level != v1::REGION_LEVEL_TOWNSHIP || town.valid_until != 0 || town.parent < 0 ||
          place_of[town.parent] < 0 || !IsGovernedUnit(town.name)) {
        continue;
      }
      (*places)[place_of[town.parent]].towns.push_back(&town);
    }
    places->erase(std::remove_if(places->begin(), places->end(),
                                 [](const Place& p) { return p.towns.empty(); }),
                  places->end());
    return places;
  }();
  return *kPlaces;
}

const char* const kDepartments[] = {"教育局",         "自然资源局",       "市场监督管理局",
                                    "卫生健康委员会", "住房和城乡建设局", "财政局",
                                    "公安局",         "民政局",           "生态环境局",
                                    "人力资源和社会保障局", "交通运输局", "农业农村局"};

// Who publishes the report; decides the scale of its numbers.
enum class Level { kTownship, kDepartment, kCounty, kCity, kProvince };

struct Scale {
  int64_t applications;  // most applications of natural persons
  int64_t reviews;       // most administrative reviews
  int64_t items;         // most licensing/penalty items
  int64_t decisions;     // most decisions
  int64_t normative;     // most normative documents a year
  int64_t money_yuan;    // most 元 of fees / procurement
};

Scale ScaleOf(Level level) {
  switch (level) {
    case Level::kTownship:
      return {3, 1, 40, 500, 3, 2000000};
    case Level::kDepartment:
      return {40, 5, 300, 20000, 10, 50000000};
    case Level::kCounty:
      return {200, 20, 3000, 200000, 30, 500000000};
    case Level::kCity:
      return {1500, 120, 8000, 900000, 80, 5000000000};
    case Level::kProvince:
      return {9000, 600, 20000, 5000000, 200, 50000000000};
  }
  return {};
}

Decimal D(int64_t v) { return Decimal::FromInt(v); }

// Splits `n` units over `weights`, in chunks so large n stays cheap.
std::vector<int64_t> Distribute(int64_t n, const std::vector<int>& weights, Prng& prng) {
  std::vector<int64_t> out(weights.size(), 0);
  const int64_t chunk = n > 400 ? n / 400 : 1;
  int64_t left = n;
  while (left > 0) {
    const int64_t take = left < chunk ? left : chunk;
    out[prng.Weighted(weights)] += take;
    left -= take;
  }
  return out;
}

// Weights of the outcome leaves (granted, partial, denied×8,
// unavailable×3, rejected×5, then other or its 3 sub-rows).
std::vector<int> LeafWeights(size_t leaves) {
  std::vector<int> w = {40, 8, 1, 1, 1, 4, 2, 4, 1, 2, 25, 5, 4, 5, 4, 1, 1, 1};
  if (leaves == 19) {
    w.push_back(3);
  } else {
    w.insert(w.end(), {2, 1, 2});
  }
  return w;
}

void GenerateTableThree(const ReportSpec& spec, const Scale& scale, Level level, Prng& prng,
                        std::map<std::string, Decimal>* values) {
  const auto leaves = T3OutcomeLeafRows(spec.variant);
  const auto& cols = T3ApplicantColumns();
  const int64_t natural = (level == Level::kTownship && prng.Chance(650))
                              ? 0
                              : prng.LogUniform(scale.applications);
  std::map<std::string, std::vector<int64_t>> rows;  // row -> per column
  for (const auto& row : T3Rows(spec.variant)) rows[row].assign(7, 0);
  for (size_t c = 0; c < cols.size(); ++c) {
    int64_t handled;
    switch (c) {
      case 0:
        handled = natural;
        break;
      case 1:
        handled = prng.LogUniform(natural / 5);
        break;
      case 4:
      case 5:
        handled = prng.LogUniform(natural / 15);
        break;
      default:
        handled = prng.Chance(80) ? prng.LogUniform(natural / 30 + 1) : 0;
    }
    const int64_t forward = prng.Chance(500) ? prng.LogUniform(handled / 8) : 0;
    int64_t over = prng.Chance(500) ? prng.LogUniform(handled / 8) : 0;
    if (over > handled + forward) over = handled + forward;
    const auto split = Distribute(handled, LeafWeights(leaves.size()), prng);
    for (size_t r = 0; r < leaves.size(); ++r) rows[leaves[r]][c] = split[r];
    rows["total"][c] = handled;
    rows["carried_forward"][c] = forward;
    rows["carried_over"][c] = over;
    rows["new"][c] = handled + forward - over;
  }
  for (auto& [row, v] : rows) {
    int64_t sum = 0;
    for (size_t c = 0; c < 6; ++c) sum += v[c];
    v[6] = sum;
    for (size_t c = 0; c < 7; ++c) (*values)[T3Key(row, T3Columns()[c])] = D(v[c]);
  }
}

void GenerateTableFour(const Scale& scale, Level level, Prng& prng,
                       std::map<std::string, Decimal>* values) {
  const std::vector<int> weights = {60, 10, 15, 15};
  for (const auto& group : T4Groups()) {
    int64_t n = prng.Chance(level <= Level::kDepartment ? 750 : 350)
                    ? 0
                    : prng.LogUniform(group == "review" ? scale.reviews : scale.reviews / 2);
    const auto split = Distribute(n, weights, prng);
    for (size_t c = 0; c < 4; ++c) (*values)[T4Key(group, T4Columns()[c])] = D(split[c]);
    (*values)[T4Key(group, "total")] = D(n);
  }
}

// An amount in 万元 from a whole number of 分 (cents of 元).
Decimal WanFromCents(int64_t cents) { return Decimal::FromUnits(cents * 100); }

// A sum of money in 分: none for many bodies, else 100 元 … max_yuan, often
// whole 元.
int64_t Cents(int64_t max_yuan, Prng& prng) {
  if (prng.Chance(300)) return 0;
  const int64_t yuan = 100 + prng.LogUniform(max_yuan);
  return yuan * 100 + (prng.Chance(500) ? prng.Range(0, 99) : 0);
}

void GenerateTableTwo(const ReportSpec& spec, const Scale& scale, Level level, Prng& prng,
                      std::map<std::string, Decimal>* values) {
  auto set = [&](const std::string& key, int64_t v) { (*values)[key] = D(v); };
  const bool makes_rules = level >= Level::kCity;
  if (spec.variant.format == REPORT_FORMAT_F2019) {
    for (const char* stem : {"t2.rules", "t2.normative"}) {
      const bool rules = std::string(stem) == "t2.rules";
      const int64_t made = rules && !makes_rules ? 0 : prng.LogUniform(scale.normative);
      set(absl::StrCat(stem, ".new_made"), made);
      set(absl::StrCat(stem, ".new_published"), made);
      set(absl::StrCat(stem, ".total_published"),
          made + (rules && !makes_rules ? 0 : prng.LogUniform(scale.normative * 10)));
    }
    for (const char* stem : {"t2.licensing", "t2.other_services", "t2.penalty", "t2.coercion"}) {
      const int64_t prev = prng.LogUniform(scale.items);
      const int64_t delta = prng.Chance(500) ? 0 : prng.Range(-prev / 2, prev / 2 + 3);
      set(absl::StrCat(stem, ".prev_items"), prev);
      set(absl::StrCat(stem, ".delta"), delta);
      set(absl::StrCat(stem, ".decisions"), prng.LogUniform(scale.decisions));
    }
    const int64_t fees = prng.LogUniform(60);
    set("t2.fees.prev_items", fees);
    set("t2.fees.delta", prng.Chance(600) ? 0 : prng.Range(-fees, 5));
    set("t2.procurement.items", prng.LogUniform(scale.items / 5));
    (*values)["t2.procurement.amount_wan"] = WanFromCents(Cents(scale.money_yuan, prng));
  } else {
    for (const char* stem : {"t2.rules", "t2.normative"}) {
      const bool rules = std::string(stem) == "t2.rules";
      const int64_t issued = rules && !makes_rules ? 0 : prng.LogUniform(scale.normative);
      const int64_t repealed = rules && !makes_rules ? 0 : prng.LogUniform(scale.normative / 2);
      set(absl::StrCat(stem, ".issued"), issued);
      set(absl::StrCat(stem, ".repealed"), repealed);
      set(absl::StrCat(stem, ".in_force"),
          issued + (rules && !makes_rules ? 0 : prng.LogUniform(scale.normative * 10)));
    }
    for (const char* stem : {"t2.licensing", "t2.penalty", "t2.coercion"}) {
      set(absl::StrCat(stem, ".decisions"), prng.LogUniform(scale.decisions));
    }
    (*values)["t2.fees.amount_wan"] = WanFromCents(Cents(scale.money_yuan / 10, prng));
  }
}

// Breaks one of R1–R4 by changing printed numbers (the way real reports
// break them: a total typed wrong, a sub-item miscounted).
void InjectError(const ReportSpec& spec, Prng& prng, std::map<std::string, Decimal>* values) {
  const auto& cols = T3ApplicantColumns();
  const std::string col = cols[prng.Below(2) == 0 ? 0 : prng.Below(cols.size())];
  const Decimal k = D(prng.Range(1, 9));
  auto bump = [&](const std::string& key, Decimal by) { (*values)[key] = (*values)[key] + by; };
  switch (prng.Below(4)) {
    case 0:  // R1: the carried-forward row disagrees with 一+二−(七).
      bump(T3Key("carried_forward", col), k);
      bump(T3Key("carried_forward", "total"), k);
      break;
    case 1: {  // R2: one outcome miscounted, (七) total unchanged.
      const auto leaves = T3OutcomeLeafRows(spec.variant);
      const std::string& leaf = leaves[prng.Below(leaves.size())];
      bump(T3Key(leaf, col), k);
      bump(T3Key(leaf, "total"), k);
      break;
    }
    case 2: {  // R3: a row's 总计 typed wrong.
      const auto rows = T3Rows(spec.variant);
      bump(T3Key(rows[prng.Below(rows.size())], "total"), k);
      break;
    }
    default: {  // R4: 总计 printed 0 (or wrong) for one group.
      const std::string& group = T4Groups()[prng.Below(3)];
      const std::string key = T4Key(group, "total");
      (*values)[key] = (*values)[key] == D(0) ? k : D(0);
    }
  }
}

Decimal Get(const std::map<std::string, Decimal>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? Decimal() : it->second;
}

void AddFinding(const char* rule, std::vector<std::string> keys, Decimal expected,
                Decimal actual, std::vector<ExpectedFinding>* out) {
  if (expected == actual) return;
  out->push_back({rule, std::move(keys), expected.ToString(), actual.ToString()});
}

std::vector<ExpectedFinding> Findings(const TemplateVariant& variant,
                                      const std::map<std::string, Decimal>& v) {
  std::vector<ExpectedFinding> out;
  const auto leaves = T3OutcomeLeafRows(variant);
  for (const auto& col : T3Columns()) {
    // R1: 一 + 二 = (七) + 四; checked cell: 四 (结转下年度).
    AddFinding("R1",
               {T3Key("carried_forward", col), T3Key("new", col), T3Key("carried_over", col),
                T3Key("total", col)},
               Get(v, T3Key("new", col)) + Get(v, T3Key("carried_over", col)) -
                   Get(v, T3Key("total", col)),
               Get(v, T3Key("carried_forward", col)), &out);
  }
  for (const auto& col : T3Columns()) {
    std::vector<std::string> keys = {T3Key("total", col)};
    Decimal sum;
    for (const auto& leaf : leaves) {
      keys.push_back(T3Key(leaf, col));
      sum += Get(v, T3Key(leaf, col));
    }
    AddFinding("R2", keys, sum, Get(v, T3Key("total", col)), &out);
  }
  for (const auto& row : T3Rows(variant)) {
    std::vector<std::string> keys = {T3Key(row, "total")};
    Decimal sum;
    for (const auto& col : T3ApplicantColumns()) {
      keys.push_back(T3Key(row, col));
      sum += Get(v, T3Key(row, col));
    }
    AddFinding("R3", keys, sum, Get(v, T3Key(row, "total")), &out);
  }
  for (const auto& group : T4Groups()) {
    std::vector<std::string> keys = {T4Key(group, "total")};
    Decimal sum;
    for (size_t c = 0; c < 4; ++c) {
      keys.push_back(T4Key(group, T4Columns()[c]));
      sum += Get(v, T4Key(group, T4Columns()[c]));
    }
    AddFinding("R4", keys, sum, Get(v, T4Key(group, "total")), &out);
  }
  return out;
}

std::string WithThousands(const std::string& digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// How each cell is printed in `layout`: thousands separators now and then,
// amounts in 万元 or in 元, blank cells where the layout keeps columns apart.
void PrintCells(Layout layout, Prng& prng, ReportSpec* spec) {
  const bool separated = layout != Layout::kDigitRun && layout != Layout::kAligned;
  const bool thousands = layout != Layout::kDigitRun && prng.Chance(300);
  const bool blank_t4 = separated && prng.Chance(200);
  const bool blank_zeros = separated && prng.Chance(100);
  const int money_style = static_cast<int>(prng.Below(3));  // 0 plain, 1 " 万元", 2 元
  // Scanned-and-OCRed reports print some zeros as `Ů` (seed 001).
  const bool ocr_zeros =
      (layout == Layout::kTsv || layout == Layout::kAligned) && prng.Chance(60);
  for (const auto& [key, value] : spec->values) {
    std::string text = value.ToString();
    const bool zero = value == D(0);
    if (zero && ((blank_t4 && key.rfind("t4.", 0) == 0 &&
                  Get(spec->values, T4Key(key.substr(3, key.rfind('.') - 3), "total")) == D(0)) ||
                 (blank_zeros && key.rfind("t3.", 0) == 0 && prng.Chance(150)))) {
      spec->blank.insert(key);
      spec->printed[key] = "";
      continue;
    }
    if (zero && ocr_zeros && key.rfind("t3.", 0) == 0 && prng.Chance(100)) {
      spec->printed[key] = "Ů";
      continue;
    }
    if (IsMoneyKey(key)) {
      if (spec->variant.format == REPORT_FORMAT_F2019 && money_style == 2) {
        // 元 with two decimals: the 万元 value times 10^4.
        const int64_t cents = value.units() / 100;
        text = absl::StrFormat("%d.%02d元", cents / 100, cents % 100);
      } else if (money_style == 1 && layout != Layout::kDigitRun) {
        text += spec->variant.format == REPORT_FORMAT_F2019 ? " 万元" : "万元";
      }
    } else if (thousands && text.size() > 4 && text[0] != '-') {
      text = WithThousands(text);
    }
    spec->printed[key] = text;
  }
}

// The prose's options for a report by `level` (prose.h): the larger the
// body, the larger its numbers and the longer its prose, up to what the
// sentence pools hold. A tsv report is then 6.7–9.0 KB (10th–90th
// percentile; the real text reports in ../shared are 6.4–17.3 KB).
ProseOptions ProseFor(const ReportSpec& spec, Level level) {
  struct Size {
    int min_bytes, max_bytes;
    int64_t max_count;
  };
  static constexpr Size kSizes[] = {
      {2000, 5000, 200},     // township
      {2500, 6500, 2000},    // department
      {3500, 9000, 20000},   // county
      {4500, 11000, 100000}, // city
      {5500, 13000, 500000}, // province
  };
  const Size& size = kSizes[static_cast<int>(level)];
  ProseOptions o;
  o.year = spec.year;
  o.format = spec.variant.format;
  o.applications_received = Get(spec.values, T3Key("new", "total")).ToString();
  o.normative_issued =
      Get(spec.values, spec.variant.format == REPORT_FORMAT_F2019 ? "t2.normative.new_made"
                                                                 : "t2.normative.issued")
          .ToString();
  o.max_count = size.max_count;
  o.min_overview_bytes = size.min_bytes;
  o.max_overview_bytes = size.max_bytes;
  return o;
}

// `utf8` in GB18030 (an HTML page also declares charset=gbk); nullopt if
// ICU cannot convert it (never for the generator's text).
std::optional<std::string> ToGb18030(const std::string& utf8, bool html) {
  std::string text = utf8;
  if (html) {
    const std::string from = "charset=utf-8", to = "charset=gbk";
    const size_t at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  UErrorCode status = U_ZERO_ERROR;
  std::string out(text.size() * 2 + 16, '\0');
  const int32_t n = ucnv_convert("GB18030", "UTF-8", &out[0], static_cast<int32_t>(out.size()),
                                 text.data(), static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) return std::nullopt;
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += absl::StrFormat("\\u%04x", ch);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

const std::vector<Layout>& AllLayouts() {
  static const auto* kAll = new std::vector<Layout>{Layout::kTsv,      Layout::kAligned,
                                                    Layout::kPipe,     Layout::kMarkdown,
                                                    Layout::kDigitRun, Layout::kHtml};
  return *kAll;
}

absl::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kTsv:
      return "tsv";
    case Layout::kAligned:
      return "aligned";
    case Layout::kPipe:
      return "pipe";
    case Layout::kMarkdown:
      return "markdown";
    case Layout::kDigitRun:
      return "digit_run";
    case Layout::kHtml:
      return "html";
  }
  return "";
}

absl::StatusOr<std::vector<Layout>> ParseLayouts(absl::string_view list) {
  std::vector<Layout> out;
  for (absl::string_view name : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    bool found = false;
    for (Layout layout : AllLayouts()) {
      if (LayoutName(layout) == name) {
        out.push_back(layout);
        found = true;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown layout '", name, "' (expected tsv, aligned, pipe, markdown, digit_run, html)"));
    }
  }
  if (out.empty()) return absl::InvalidArgumentError("empty layout list");
  return out;
}

CorpusGenerator::CorpusGenerator(GeneratorOptions options) : options_(std::move(options)) {
  if (options_.layouts.empty()) options_.layouts = AllLayouts();
}

GeneratedReport CorpusGenerator::Generate(uint64_t index) const {
  Prng prng = Prng::ForItem(options_.seed, index);
  ReportSpec spec;
  GeneratedReport out;
  out.layout = options_.layouts[prng.Below(options_.layouts.size())];

  // Who and when.
  const std::vector<Place>& places = Places();
  const Place& place = places[prng.Below(places.size())];
  // Shares close to a nation's reports of one year: mostly townships and
  // departments, a few thousand counties, hundreds of cities.
  const Level level = static_cast<Level>(prng.Weighted({40, 35, 20, 4, 1}));
  spec.year = static_cast<int>(prng.Range(2019, 2025));
  spec.variant.format = spec.year <= 2020 ? REPORT_FORMAT_F2019 : REPORT_FORMAT_F2021;
  spec.variant.single_other_row =
      spec.variant.format == REPORT_FORMAT_F2021 && prng.Chance(250);
  const std::string& code = place.code;
  out.province = std::string(place.province);
  // A county named alike elsewhere is named with its city.
  const std::string county_name =
      absl::StrCat(place.county_name_shared || prng.Chance(300) ? place.city : "", place.county);
  switch (level) {
    case Level::kProvince:
      spec.organ = absl::StrCat(place.province, "人民政府");
      out.region_code = code.substr(0, 2) + "0000";
      break;
    case Level::kCity:
      spec.organ = absl::StrCat(place.city, prng.Chance(500) ? "人民政府" : "");
      out.region_code = code.substr(0, 4) + "00";
      out.city = std::string(place.city);
      break;
    case Level::kCounty:
      spec.organ = absl::StrCat(county_name, prng.Chance(500) ? "人民政府" : "");
      out.region_code = code;
      out.city = std::string(place.city);
      out.county = std::string(place.county);
      break;
    case Level::kTownship: {
      const Division& town = *place.towns[prng.Below(place.towns.size())];
      // A town's name is shared by many across the country: titles name
      // its county (and a shared county name its city).
      spec.organ = absl::StrCat(county_name, town.name, "人民政府");
      out.region_code = std::string(town.code);
      out.city = std::string(place.city);
      out.county = std::string(place.county);
      break;
    }
    case Level::kDepartment:
      spec.organ = absl::StrCat(county_name, kDepartments[prng.Below(12)]);
      out.region_code = code;
      out.city = std::string(place.city);
      out.county = std::string(place.county);
      break;
  }
  switch (prng.Below(3)) {
    case 0:
      spec.title = absl::StrCat(spec.organ, spec.year, "年政府信息公开工作年度报告（示例）");
      break;
    case 1:
      spec.title = absl::StrCat(spec.organ, spec.year, "年度政府信息公开工作年度报告（示例）");
      break;
    default:
      spec.title = absl::StrCat(spec.organ, " ", spec.year, " 年政府信息公开工作年度报告（示例）");
  }

  // The numbers.
  const Scale scale = ScaleOf(level);
  GenerateTableTwo(spec, scale, level, prng, &spec.values);
  GenerateTableThree(spec, scale, level, prng, &spec.values);
  GenerateTableFour(scale, level, prng, &spec.values);
  const int64_t error_per_million = static_cast<int64_t>(options_.error_share * 1000000.0 + 0.5);
  if (static_cast<int64_t>(prng.Below(1000000)) < error_per_million) {
    InjectError(spec, prng, &spec.values);
    out.has_injected_error = true;
  }
  PrintCells(out.layout, prng, &spec);
  WriteProse(ProseFor(spec, level), prng, &spec);

  std::vector<DigitRun> runs;
  out.bytes = RenderReport(spec, out.layout, prng, &runs);
  if (prng.Chance(80)) {
    if (auto gb = ToGb18030(out.bytes, out.layout == Layout::kHtml)) {
      out.bytes = *std::move(gb);
      out.encoding = "GB18030";
    }
  }
  if (out.layout == Layout::kDigitRun && options_.with_oracle) {
    out.undecidable = UndecidableCells(runs, spec.variant, spec.values);
  }

  out.name = absl::StrFormat("%06d_%s_%d.%s", index, LayoutName(out.layout), spec.year,
                             out.layout == Layout::kHtml ? "html" : "txt");
  out.organ = spec.organ;
  out.title = spec.title;
  out.year = spec.year;
  out.format = spec.variant.format;
  out.single_other_row = spec.variant.single_other_row;
  for (const T2Row& row : T2Rows(spec.variant.format)) {
    for (const auto& col : row.columns) {
      const std::string key = absl::StrCat(row.stem, ".", col);
      out.cells.emplace_back(key, spec.values.at(key).ToString());
    }
  }
  for (const auto& row : T3Rows(spec.variant)) {
    for (const auto& col : T3Columns()) {
      const std::string key = T3Key(row, col);
      out.cells.emplace_back(key, spec.values.at(key).ToString());
    }
  }
  for (const auto& group : T4Groups()) {
    for (const auto& col : T4Columns()) {
      const std::string key = T4Key(group, col);
      out.cells.emplace_back(key, spec.values.at(key).ToString());
    }
  }
  for (const auto& [key, value] : out.cells) {
    if (spec.blank.count(key)) out.blank_cells.push_back(key);
  }
  out.expected_findings = Findings(spec.variant, spec.values);
  return out;
}

std::string GeneratedReport::ExpectedJson() const {
  std::string out = "{\n \"source\": " + JsonString(name) + ",\n \"cells\": {\n";
  std::vector<std::string> lines = {
      absl::StrCat("  \"meta.organ\": ", JsonString(organ)),
      absl::StrCat("  \"meta.year\": ", year),
      absl::StrCat("  \"meta.format\": ", JsonString(std::string(FormatName(format)))),
      absl::StrCat("  \"meta.region_code\": ", JsonString(region_code)),
      absl::StrCat("  \"meta.province\": ", JsonString(province)),
      absl::StrCat("  \"meta.city\": ", JsonString(city)),
      absl::StrCat("  \"meta.county\": ", JsonString(county))};
  for (const auto& [key, value] : cells) lines.push_back(absl::StrCat("  ", JsonString(key), ": ", value));
  out += absl::StrJoin(lines, ",\n") + "\n },\n";
  auto list = [](const std::vector<std::string>& keys) {
    std::vector<std::string> quoted;
    for (const auto& k : keys) quoted.push_back(JsonString(k));
    return "[" + absl::StrJoin(quoted, ", ") + "]";
  };
  absl::StrAppend(&out, " \"blank_cells\": ", list(blank_cells), ",\n");
  std::vector<std::string> findings;
  for (const auto& f : expected_findings) {
    findings.push_back(absl::StrCat("  {\"rule\": ", JsonString(f.rule), ", \"keys\": ", list(f.keys),
                                    ", \"expected\": ", JsonString(f.expected),
                                    ", \"actual\": ", JsonString(f.actual), "}"));
  }
  absl::StrAppend(&out, " \"expected_findings\": [",
                  findings.empty() ? "" : "\n" + absl::StrJoin(findings, ",\n") + "\n ", "],\n");
  absl::StrAppend(&out, " \"undecidable\": ", list(undecidable), ",\n");
  absl::StrAppend(&out, " \"layout\": ", JsonString(std::string(LayoutName(layout))), ",\n");
  absl::StrAppend(&out, " \"encoding\": ", JsonString(encoding), ",\n");
  absl::StrAppend(&out, " \"single_other_row\": ", single_other_row ? "true" : "false", "\n}\n");
  return out;
}

namespace {

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool closed = std::fclose(f) == 0;
  if (written != bytes.size() || !closed) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteCorpus(const GeneratorOptions& options, uint64_t count, const std::string& dir) {
  if (!(options.error_share >= 0.0 && options.error_share <= 1.0)) {
    return absl::InvalidArgumentError("error_share must be between 0 and 1");
  }
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", std::strerror(errno)));
  }
  CorpusGenerator generator(options);
  for (uint64_t i = 0; i < count; ++i) {
    const GeneratedReport report = generator.Generate(i);
    const std::string path = absl::StrCat(dir, "/", report.name);
    if (auto status = WriteFile(path, report.bytes); !status.ok()) return status;
    if (auto status = WriteFile(path + ".expected.json", report.ExpectedJson()); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace corpusgen
}  // namespace gongkai
