#include "tools/corpusgen/digit_run_oracle.h"

#include <array>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace corpusgen {
namespace {

constexpr size_t kSplitBudget = 1000000;   // segmentations tried per run
constexpr size_t kStateBudget = 200000;    // partial-sum states per DP step
constexpr size_t kComboBudget = 1000000;   // R1 row combinations

using Values = std::vector<int64_t>;  // Decimal units, one per key

// Enumerates the segmentations of one run. `accept` filters complete ones.
class Splitter {
 public:
  Splitter(const DigitRun& run, std::function<bool(const Values&)> accept)
      : run_(run), accept_(std::move(accept)) {
    std::string current;
    for (char ch : run.text) {
      if (ch == ' ') {
        if (!current.empty()) segments_.push_back(current);
        current.clear();
      } else if (ch == '-') {
        if (!current.empty()) segments_.push_back(current);
        current = "-";
      } else {
        current.push_back(ch);
      }
    }
    if (!current.empty()) segments_.push_back(current);
  }

  // False when the budget ran out (the results are then incomplete).
  bool Run(std::vector<Values>* out) {
    out_ = out;
    Values partial;
    Step(0, 0, &partial);
    return tried_ <= kSplitBudget;
  }

 private:
  void Step(size_t seg, size_t pos, Values* partial) {
    if (tried_ > kSplitBudget) return;
    const size_t done = partial->size();
    const size_t n = run_.keys.size();
    if (seg == segments_.size()) {
      if (done == n) {
        ++tried_;
        if (accept_(*partial)) out_->push_back(*partial);
      }
      return;
    }
    if (done == n) return;  // digits left over
    const std::string& s = segments_[seg];
    if (segments_.size() - seg > n - done) return;  // a segment per cell at least
    const size_t last_end = (n - done == 1) ? s.size() : s.size();
    for (size_t end = pos + 1; end <= last_end; ++end) {
      if (n - done == 1 && (end != s.size() || seg + 1 != segments_.size())) continue;
      int64_t units;
      if (!Value(s.substr(pos, end - pos), run_.keys[done], done + 1 == n, &units)) {
        continue;
      }
      partial->push_back(units);
      if (end == s.size()) {
        Step(seg + 1, 0, partial);
      } else {
        Step(seg, end, partial);
      }
      partial->pop_back();
      if (tried_ > kSplitBudget) return;
    }
  }

  bool Value(const std::string& text, const std::string& key, bool last, int64_t* units) const {
    absl::string_view body = text;
    if (absl::StartsWith(body, "-")) {
      if (!MayBeNegative(key)) return false;
      body.remove_prefix(1);
    }
    if (body.empty()) return false;
    const size_t dot = body.find('.');
    if (dot != absl::string_view::npos) {
      if (!last || !IsMoneyKey(key) || dot == 0 || dot + 1 == body.size()) return false;
    }
    const absl::string_view whole = body.substr(0, dot);
    if (whole.size() > 1 && whole[0] == '0') return false;
    if (whole.size() > 10) return false;
    auto value = Decimal::Parse(text);
    if (!value) return false;
    if (last && run_.yuan) {
      value = value->Scaled(-4);
      if (!value) return false;
    }
    *units = value->units();
    return true;
  }

  const DigitRun& run_;
  std::function<bool(const Values&)> accept_;
  std::vector<std::string> segments_;
  std::vector<Values>* out_ = nullptr;
  size_t tried_ = 0;
};

int64_t Truth(const std::map<std::string, Decimal>& truth, const std::string& key) {
  auto it = truth.find(key);
  return it == truth.end() ? 0 : it->second.units();
}

// Marks the keys of `run` whose value differs among `candidates`.
void CollectOpen(const std::vector<std::string>& keys, const std::vector<Values>& candidates,
                 std::set<std::string>* open) {
  for (size_t k = 0; k < keys.size(); ++k) {
    for (const Values& c : candidates) {
      if (c[k] != candidates.front()[k]) {
        open->insert(keys[k]);
        break;
      }
    }
  }
}

using Vec = std::array<int64_t, 7>;
struct VecHash {
  size_t operator()(const Vec& v) const {
    size_t h = 1469598103934665603ULL;
    for (int64_t x : v) h = (h ^ static_cast<size_t>(x)) * 1099511628211ULL;
    return h;
  }
};
using VecSet = absl::flat_hash_set<Vec, VecHash>;

Vec Masked(const Values& v, const std::array<bool, 7>& mask) {
  Vec out{};
  for (int c = 0; c < 7; ++c) out[c] = mask[c] ? v[c] : 0;
  return out;
}

// Table 三 rows with their candidates; decides cells across rows via R1/R2.
class TableThreeSolver {
 public:
  TableThreeSolver(const TemplateVariant& variant, const std::map<std::string, Decimal>& truth)
      : variant_(variant), truth_(truth) {}

  // `rows` maps a row key to its candidates (empty optional = free row).
  void Solve(const std::map<std::string, std::vector<Values>>& cands,
             const std::set<std::string>& free_rows, std::set<std::string>* open) {
    const auto& cols = T3Columns();
    const std::vector<std::string> leaves = T3OutcomeLeafRows(variant_);
    std::array<bool, 7> r1{}, r2{};
    for (int c = 0; c < 7; ++c) {
      const std::string& col = cols[c];
      r1[c] = Truth(truth_, T3Key("new", col)) + Truth(truth_, T3Key("carried_over", col)) ==
              Truth(truth_, T3Key("total", col)) + Truth(truth_, T3Key("carried_forward", col));
      int64_t sum = 0;
      for (const auto& leaf : leaves) sum += Truth(truth_, T3Key(leaf, col));
      r2[c] = sum == Truth(truth_, T3Key("total", col));
    }
    auto has = [&](const std::string& row) { return cands.count(row) && !free_rows.count(row); };
    bool r1_on = has("new") && has("carried_over") && has("total") && has("carried_forward");
    bool r2_on = has("total");
    for (const auto& leaf : leaves) r2_on = r2_on && has(leaf);

    static const std::vector<Values> kNone;
    auto get = [&](const std::string& row) -> const std::vector<Values>& {
      auto it = cands.find(row);
      return it == cands.end() ? kNone : it->second;
    };
    const auto& news = get("new");
    const auto& cos = get("carried_over");
    const auto& totals = get("total");
    const auto& cfs = get("carried_forward");
    if (r1_on && news.size() * cos.size() * totals.size() * cfs.size() > kComboBudget) {
      r1_on = false;
    }

    // Feasible totals under R2 (and the leaf candidates that reach them).
    std::vector<bool> total_ok(totals.size(), true);
    std::map<std::string, std::set<size_t>> leaf_ok;  // row -> feasible candidate indices
    bool r2_settled = false;
    if (r2_on) {
      r2_settled = true;
      for (size_t t = 0; t < totals.size(); ++t) {
        std::vector<std::set<size_t>> ok;
        bool settled = true;
        total_ok[t] = LeafDp(leaves, cands, totals[t], r2, &ok, &settled);
        if (!settled) {
          r2_settled = false;
          total_ok[t] = true;
          break;
        }
        if (total_ok[t]) {
          for (size_t r = 0; r < leaves.size(); ++r) leaf_ok[leaves[r]].insert(ok[r].begin(), ok[r].end());
        }
      }
    }

    // R1 combinations over rows new, carried_over, total, carried_forward.
    std::set<size_t> ok_new, ok_co, ok_total, ok_cf;
    if (r1_on) {
      for (size_t a = 0; a < news.size(); ++a)
        for (size_t b = 0; b < cos.size(); ++b)
          for (size_t t = 0; t < totals.size(); ++t) {
            if (!total_ok[t]) continue;
            for (size_t d = 0; d < cfs.size(); ++d) {
              bool fits = true;
              for (int c = 0; c < 7 && fits; ++c) {
                if (r1[c]) fits = news[a][c] + cos[b][c] == totals[t][c] + cfs[d][c];
              }
              if (!fits) continue;
              ok_new.insert(a);
              ok_co.insert(b);
              ok_total.insert(t);
              ok_cf.insert(d);
            }
          }
    } else {
      for (size_t i = 0; i < news.size(); ++i) ok_new.insert(i);
      for (size_t i = 0; i < cos.size(); ++i) ok_co.insert(i);
      for (size_t i = 0; i < totals.size(); ++i) if (total_ok[i]) ok_total.insert(i);
      for (size_t i = 0; i < cfs.size(); ++i) ok_cf.insert(i);
    }
    // A leaf candidate counts only when reached for a total R1 keeps.
    if (r2_on && r2_settled && r1_on && ok_total.size() < totals.size()) {
      leaf_ok.clear();
      for (size_t t : ok_total) {
        std::vector<std::set<size_t>> ok;
        bool settled = true;
        LeafDp(leaves, cands, totals[t], r2, &ok, &settled);
        for (size_t r = 0; r < leaves.size(); ++r) leaf_ok[leaves[r]].insert(ok[r].begin(), ok[r].end());
      }
    }

    auto mark = [&](const std::string& row, const std::vector<Values>& all,
                    const std::set<size_t>& ok) {
      if (free_rows.count(row)) {
        for (const auto& col : cols) open->insert(T3Key(row, col));
        return;
      }
      std::vector<Values> kept;
      for (size_t i : ok) kept.push_back(all[i]);
      if (kept.empty()) kept = all;  // cannot happen: the truth fits
      std::vector<std::string> keys;
      for (const auto& col : cols) keys.push_back(T3Key(row, col));
      CollectOpen(keys, kept, open);
    };
    mark("new", news, ok_new);
    mark("carried_over", cos, ok_co);
    mark("total", totals, ok_total);
    mark("carried_forward", cfs, ok_cf);
    for (const auto& leaf : leaves) {
      const auto& all = get(leaf);
      std::set<size_t> ok;
      if (r2_on && r2_settled) {
        ok = leaf_ok[leaf];
      } else {
        for (size_t i = 0; i < all.size(); ++i) ok.insert(i);
      }
      mark(leaf, all, ok);
    }
  }

 private:
  // Forward/backward DP over the leaf rows: is `total` reachable as the
  // (masked) column sums, and which candidates of each leaf take part.
  bool LeafDp(const std::vector<std::string>& leaves,
              const std::map<std::string, std::vector<Values>>& cands, const Values& total,
              const std::array<bool, 7>& mask, std::vector<std::set<size_t>>* ok,
              bool* settled) {
    const size_t n = leaves.size();
    ok->assign(n, {});
    std::vector<VecSet> forward(n + 1), backward(n + 1);
    forward[0].insert(Vec{});
    for (size_t r = 0; r < n; ++r) {
      for (const Vec& s : forward[r]) {
        for (const Values& x : cands.at(leaves[r])) {
          Vec next = s;
          for (int c = 0; c < 7; ++c) if (mask[c]) next[c] += x[c];
          forward[r + 1].insert(next);
        }
      }
      if (forward[r + 1].size() > kStateBudget) {
        *settled = false;
        return true;
      }
    }
    const Vec target = Masked(total, mask);
    if (!forward[n].contains(target)) return false;
    backward[n].insert(target);
    for (size_t r = n; r-- > 0;) {
      for (const Vec& g : backward[r + 1]) {
        for (const Values& x : cands.at(leaves[r])) {
          Vec prev = g;
          for (int c = 0; c < 7; ++c) if (mask[c]) prev[c] -= x[c];
          if (forward[r].contains(prev)) backward[r].insert(prev);
        }
      }
    }
    for (size_t r = 0; r < n; ++r) {
      const auto& list = cands.at(leaves[r]);
      for (size_t i = 0; i < list.size(); ++i) {
        for (const Vec& s : forward[r]) {
          Vec next = s;
          for (int c = 0; c < 7; ++c) if (mask[c]) next[c] += list[i][c];
          if (backward[r + 1].contains(next)) {
            (*ok)[r].insert(i);
            break;
          }
        }
      }
    }
    return true;
  }

  const TemplateVariant& variant_;
  const std::map<std::string, Decimal>& truth_;
};

}  // namespace

std::vector<std::string> UndecidableCells(const std::vector<DigitRun>& runs,
                                          const TemplateVariant& variant,
                                          const std::map<std::string, Decimal>& truth) {
  std::set<std::string> open;
  std::map<std::string, std::vector<Values>> t3_cands;
  std::set<std::string> t3_free;
  for (const DigitRun& run : runs) {
    if (run.keys.empty()) continue;
    const std::string& first = run.keys.front();
    std::function<bool(const Values&)> accept = [](const Values&) { return true; };
    std::string t3_row;
    if (absl::StartsWith(first, "t3.") && run.keys.size() == 7) {
      t3_row = first.substr(3, first.rfind('.') - 3);
      int64_t sum = 0;
      for (size_t k = 0; k < 6; ++k) sum += Truth(truth, run.keys[k]);
      if (sum == Truth(truth, run.keys[6])) {
        accept = [](const Values& v) {
          int64_t s = 0;
          for (size_t k = 0; k < 6; ++k) s += v[k];
          return s == v[6];
        };
      }
    } else if (absl::StartsWith(first, "t4.")) {
      // R4 for each complete group of five (upheld … total) the run holds.
      std::vector<size_t> checked_groups;
      for (size_t g = 0; g + 5 <= run.keys.size(); g += 5) {
        int64_t sum = 0;
        for (size_t k = 0; k < 4; ++k) sum += Truth(truth, run.keys[g + k]);
        if (sum == Truth(truth, run.keys[g + 4])) checked_groups.push_back(g);
      }
      accept = [checked_groups](const Values& v) {
        for (size_t g : checked_groups) {
          if (v[g] + v[g + 1] + v[g + 2] + v[g + 3] != v[g + 4]) return false;
        }
        return true;
      };
    }
    std::vector<Values> found;
    Splitter splitter(run, accept);
    const bool complete = splitter.Run(&found);
    if (!t3_row.empty()) {
      if (!complete || found.empty()) t3_free.insert(t3_row);
      t3_cands[t3_row] = std::move(found);
      continue;
    }
    if (!complete || found.empty()) {
      open.insert(run.keys.begin(), run.keys.end());
    } else {
      CollectOpen(run.keys, found, &open);
    }
  }
  if (!t3_cands.empty()) {
    TableThreeSolver solver(variant, truth);
    solver.Solve(t3_cands, t3_free, &open);
  }
  return std::vector<std::string>(open.begin(), open.end());
}

}  // namespace corpusgen
}  // namespace gongkai
