#include "common/parse/layout.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/report/template.h"

namespace gongkai {
namespace {

using gongkai::v1::ReportFormat;

inline size_t Utf8Len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

// Matches keyword[k...] at `pos`, where keyword[0, k) ends a character and
// has already matched just before `pos`, allowing ASCII spaces between the
// keyword's characters (pdftotext and OCR insert them: "本年新 公开数量").
// Returns the end offset or npos.
size_t MatchFrom(absl::string_view text, size_t pos, absl::string_view keyword,
                 size_t k) {
  const char* t = text.data();
  const size_t n = text.size();
  size_t i = pos;
  for (; k < keyword.size(); ++k) {
    const char w = keyword[k];
    if (k > 0 && (static_cast<unsigned char>(w) & 0xC0) != 0x80) {
      while (i < n && t[i] == ' ') ++i;  // before each later character
    }
    if (i >= n || t[i] != w) return absl::string_view::npos;
    ++i;
  }
  return i;
}

// MatchFrom for the whole keyword.
size_t MatchAt(absl::string_view text, size_t pos, absl::string_view keyword) {
  return MatchFrom(text, pos, keyword, 0);
}

// First fuzzy match of `keyword` in text[from, to); returns begin, sets *end.
size_t FindFuzzy(absl::string_view text, absl::string_view keyword,
                 size_t from, size_t to, size_t* end) {
  const size_t first = Utf8Len(static_cast<unsigned char>(keyword[0]));
  absl::string_view head = keyword.substr(0, first);
  to = std::min(to, text.size());
  // Search only up to `to`: an unbounded find would make every windowed
  // call linear in the whole text.
  const absl::string_view bounded = text.substr(0, to);
  while (from < to) {
    size_t p = bounded.find(head, from);
    if (p == absl::string_view::npos || p >= to) break;
    size_t e = MatchAt(text, p, keyword);
    if (e != absl::string_view::npos && e <= to) {
      *end = e;
      return p;
    }
    from = p + 1;
  }
  return absl::string_view::npos;
}

constexpr absl::string_view kNumerals[] = {"一", "二", "三", "四", "五", "六"};
constexpr absl::string_view kComma = "、";  // the enumeration comma, 3 bytes

struct SectionKeywords {
  std::vector<const char*> words;
};

const SectionKeywords kSectionKeywords[6] = {
    {{"总体情况", "概述"}},
    {{"主动公开"}},
    {{"收到和处理", "依申请公开", "申请情况"}},
    {{"复议", "诉讼"}},
    {{"存在的主要问题", "主要问题", "改进情况"}},
    {{"其他需要报告", "其他事项"}},
};

// End of a heading's text: the keyword, extended over the CJK text that
// follows up to "情况"/"事项" (at most ~16 characters, same line).
size_t HeadingEnd(absl::string_view text, size_t keyword_end) {
  size_t best = keyword_end;
  size_t i = keyword_end;
  for (int chars = 0; chars < 16 && i < text.size(); ++chars) {
    const unsigned char c = text[i];
    if (c == '\n' || (c < 0x80 && c != ' ')) break;
    i += Utf8Len(c);
    absl::string_view done = text.substr(keyword_end, i - keyword_end);
    if (absl::EndsWith(done, "情况") || absl::EndsWith(done, "事项")) best = i;
  }
  if (absl::EndsWith(text.substr(0, keyword_end), "情况") ||
      absl::EndsWith(text.substr(0, keyword_end), "事项")) {
    return keyword_end;
  }
  return best;
}

struct AnchorKeyword {
  int row;
  absl::string_view word;
  // Required just before the match (spaces skipped), e.g. "3." for 3.其他.
  absl::string_view prefix;
  // Rejected when directly followed by one of these.
  std::vector<absl::string_view> not_followed_by = {};
};

// The longest chain of hits in text order with strictly increasing rows and
// no overlap; among equally long chains, the one of the earliest hits.
std::vector<RowAnchor> Chain(std::vector<RowAnchor> hits) {
  std::sort(hits.begin(), hits.end(), [](const RowAnchor& a, const RowAnchor& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.row < b.row;
  });
  const size_t n = hits.size();
  if (n == 0) return {};
  // best[i]: the longest chain ending at hit i; prev[i]: the earliest hit
  // before it in such a chain. A hit j may precede i once it ends by i's
  // begin; hits are released in order of their end, and per row the longest
  // chain among released hits (earliest hit on ties) is kept, so each hit
  // looks at rows, not at every earlier hit.
  std::vector<int> best(n, 1), prev(n, -1);
  std::vector<size_t> by_end(n);
  for (size_t i = 0; i < n; ++i) by_end[i] = i;
  std::stable_sort(by_end.begin(), by_end.end(), [&](size_t a, size_t b) {
    return hits[a].end < hits[b].end;
  });
  int max_row = 0;
  for (const RowAnchor& h : hits) max_row = std::max(max_row, h.row);
  struct RowBest {
    int length = 0;
    int hit = -1;
  };
  std::vector<RowBest> row_best(max_row + 1);
  size_t released = 0;
  for (size_t i = 0; i < n; ++i) {
    for (; released < n && hits[by_end[released]].end <= hits[i].begin; ++released) {
      const int j = static_cast<int>(by_end[released]);
      RowBest& rb = row_best[hits[j].row];
      if (best[j] > rb.length || (best[j] == rb.length && j < rb.hit)) rb = {best[j], j};
    }
    RowBest pick;
    for (int r = 0; r < hits[i].row; ++r) {
      const RowBest& rb = row_best[r];
      if (rb.hit < 0) continue;
      if (rb.length > pick.length || (rb.length == pick.length && rb.hit < pick.hit)) pick = rb;
    }
    if (pick.hit >= 0) {
      best[i] = pick.length + 1;
      prev[i] = pick.hit;
    }
  }
  int at = 0;
  for (size_t i = 1; i < n; ++i) {
    if (best[i] > best[at]) at = static_cast<int>(i);
  }
  std::vector<RowAnchor> chain;
  for (; at >= 0; at = prev[at]) chain.push_back(hits[at]);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// Decodes the code point at `i` (no validation: the text is valid UTF-8).
uint32_t CodePointAt(absl::string_view text, size_t i, size_t* len) {
  const unsigned char c = text[i];
  *len = Utf8Len(c);
  if (*len == 1 || i + *len > text.size()) {
    *len = 1;
    return c;
  }
  uint32_t cp = c & (0xFF >> (*len + 1));
  for (size_t k = 1; k < *len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
  return cp;
}

// Set bits in `x`, inline (without -mpopcnt the builtin is a library call).
inline int PopCount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// A keyword list matched in one pass over the text. Only positions whose
// first byte can start a keyword are looked at; at those, a bitset of the
// keywords' first characters (BMP code points) filters before any
// comparison, and the candidates are found by rank in that bitset.
class KeywordSet {
 public:
  explicit KeywordSet(std::vector<AnchorKeyword> words) : words_(std::move(words)) {
    std::vector<std::pair<uint32_t, int>> firsts;  // (first character, keyword)
    for (size_t k = 0; k < words_.size(); ++k) {
      size_t len;
      const uint32_t cp = CodePointAt(words_[k].word, 0, &len);
      // Keywords start with ASCII or a 3-byte (BMP) character.
      if (len != 1 && len != 3) std::abort();
      firsts.emplace_back(cp, static_cast<int>(k));
      lead_[static_cast<unsigned char>(words_[k].word[0])] = true;
      bits_[cp >> 6] |= uint64_t{1} << (cp & 63);
      max_row_ = std::max(max_row_, words_[k].row);
    }
    std::stable_sort(firsts.begin(), firsts.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (size_t w = 0, sum = 0; w < bits_.size(); ++w) {
      rank_[w] = static_cast<uint16_t>(sum);
      sum += PopCount(bits_[w]);
    }
    for (size_t i = 0; i < firsts.size(); ++i) {
      if (i == 0 || firsts[i].first != firsts[i - 1].first) {
        first_begin_.push_back(static_cast<uint16_t>(i));
      }
      by_first_.push_back(firsts[i].second);
    }
    first_begin_.push_back(static_cast<uint16_t>(firsts.size()));
  }

  const AnchorKeyword& word(int k) const { return words_[k]; }
  // The largest AnchorKeyword::row in the set.
  int max_row() const { return max_row_; }

  // Calls fn(keyword index, begin, end) for every fuzzy match starting in
  // text[begin, end) and ending by `end`, in text order (keywords sharing a
  // first character in the order they were given).
  template <typename Fn>
  void Scan(absl::string_view text, size_t begin, size_t end, Fn fn) const {
    end = std::min(end, text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = begin;
    while (i < end) {
      const unsigned char c = s[i];
      if (!lead_[c]) {
        i += Utf8Len(c);
        continue;
      }
      uint32_t cp = c;
      size_t len = 1;
      if (c >= 0x80) {  // a 3-byte lead (lead_ holds no other)
        if (i + 3 > text.size()) break;
        cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
        len = 3;
      }
      const uint64_t word = bits_[cp >> 6];
      const uint64_t bit = uint64_t{1} << (cp & 63);
      if (word & bit) {
        const size_t r = rank_[cp >> 6] + PopCount(word & (bit - 1));
        for (size_t j = first_begin_[r]; j < first_begin_[r + 1]; ++j) {
          const int k = by_first_[j];
          // The first character (`len` bytes) is the one just decoded.
          size_t e = MatchFrom(text, i + len, words_[k].word, len);
          if (e != absl::string_view::npos && e <= end) fn(k, i, e);
        }
      }
      i += len;
    }
  }

 private:
  std::vector<AnchorKeyword> words_;
  std::array<bool, 256> lead_{};                // first bytes of the keywords
  std::array<uint64_t, 65536 / 64> bits_{};     // their first characters
  std::array<uint16_t, 65536 / 64> rank_{};     // set bits in the words before
  std::vector<uint16_t> first_begin_;  // per first character: start in by_first_
  std::vector<int> by_first_;          // keyword indices by first character
  int max_row_ = 0;
};

std::vector<RowAnchor> FindAnchors(absl::string_view text, size_t begin,
                                   size_t end, const KeywordSet& words) {
  std::vector<RowAnchor> hits;
  // The chain is quadratic in the hits: keep the first few per row so a
  // hostile text repeating a label cannot make it slow.
  constexpr int kMaxHitsPerRow = 12;
  std::vector<int> per_row(words.max_row() + 1, 0);
  words.Scan(text, begin, end, [&](int k, size_t p, size_t e) {
    const AnchorKeyword& w = words.word(k);
    if (per_row[w.row] >= kMaxHitsPerRow) return;
    if (!w.prefix.empty()) {
      size_t q = p;
      while (q > begin && text[q - 1] == ' ') --q;
      if (!absl::EndsWith(text.substr(begin, q - begin), w.prefix)) return;
    }
    for (absl::string_view next : w.not_followed_by) {
      if (absl::StartsWith(text.substr(e), next)) return;
    }
    ++per_row[w.row];
    hits.push_back(RowAnchor{w.row, p, e});
  });
  return Chain(std::move(hits));
}

// Calls fn(offset) for every "、" and "." in `text`, in text order. With
// SSE2 sixteen positions are compared at a time: Chinese text has a CJK
// punctuation lead byte (E3) every few characters, which a byte search
// would stop at.
template <typename Fn>
void ForEachEnumerationMark(absl::string_view text, Fn fn) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i lead = _mm_set1_epi8(static_cast<char>(kComma[0]));
  const __m128i second = _mm_set1_epi8(static_cast<char>(kComma[1]));
  const __m128i third = _mm_set1_epi8(static_cast<char>(kComma[2]));
  const __m128i dot = _mm_set1_epi8('.');
  for (; i + 18 <= n; i += 16) {
    const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 1));
    const __m128i b2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 2));
    const __m128i comma = _mm_and_si128(
        _mm_cmpeq_epi8(b0, lead),
        _mm_and_si128(_mm_cmpeq_epi8(b1, second), _mm_cmpeq_epi8(b2, third)));
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(comma, _mm_cmpeq_epi8(b0, dot))));
    while (mask != 0) {
      fn(i + __builtin_ctz(mask));
      mask &= mask - 1;
    }
  }
#endif
  for (; i < n; ++i) {
    if (s[i] == '.' || (i + kComma.size() <= n &&
                        std::memcmp(s + i, kComma.data(), kComma.size()) == 0)) {
      fn(i);
    }
  }
}

}  // namespace

std::vector<SectionHeading> FindSections(absl::string_view text) {
  // Every "N、" / "N." with N in 一…六, in text order.
  struct Mark {
    size_t pos;    // of the numeral
    size_t after;  // after the enumeration mark
    int number;
  };
  std::vector<Mark> marks;
  auto add_mark = [&](size_t mark, size_t after) {
    size_t q = mark;
    while (q > 0 && text[q - 1] == ' ') --q;
    if (q < 3) return;
    const char* numeral = text.data() + q - 3;
    for (int n = 1; n <= 6; ++n) {
      if (std::memcmp(numeral, kNumerals[n - 1].data(), 3) == 0) {  // 3 bytes each
        marks.push_back(Mark{q - 3, after, n});
        return;
      }
    }
  };
  ForEachEnumerationMark(text, [&](size_t p) {
    add_mark(p, p + (text[p] == '.' ? 1 : kComma.size()));
  });

  std::vector<SectionHeading> out;
  size_t pos = 0;
  size_t first = 0;  // marks before `pos` are never looked at again
  for (int n = 1; n <= 6; ++n) {
    for (size_t i = first; i < marks.size(); ++i) {
      const Mark& m = marks[i];
      if (m.number != n || m.pos < pos) continue;
      const size_t p = m.pos;
      const size_t after = m.after;
      // Keyword within the next ~24 characters. The window stops at a line
      // end, a digit (table numbers glued after a row label such as
      // "四、结转下年度继续办理…") or the next enumeration comma.
      size_t window_end = after;
      for (int chars = 0; chars < 24 && window_end < text.size(); ++chars) {
        const char c = text[window_end];
        if (c == '\n' || (c >= '0' && c <= '9') ||
            (c == kComma[0] && window_end + 3 <= text.size() &&
             std::memcmp(text.data() + window_end, kComma.data(), 3) == 0)) {
          break;
        }
        window_end += Utf8Len(static_cast<unsigned char>(c));
      }
      size_t best_end = absl::string_view::npos;
      size_t best_begin = absl::string_view::npos;
      for (const char* w : kSectionKeywords[n - 1].words) {
        size_t e = 0;
        size_t b = FindFuzzy(text, w, after, window_end, &e);
        if (b != absl::string_view::npos && b < best_begin) {
          best_begin = b;
          best_end = e;
        }
      }
      if (best_begin == absl::string_view::npos && n == 6) {
        // "六、2021年工作思路": any 六、 heading at a line start.
        size_t q = p;
        while (q > 0 && (text[q - 1] == ' ' || text[q - 1] == '#' ||
                         text[q - 1] == '*' || text[q - 1] == '>')) {
          --q;
        }
        if (q == 0 || text[q - 1] == '\n') best_end = after;
      }
      if (best_end == absl::string_view::npos) continue;
      SectionHeading h;
      h.number = n;
      h.begin = p;
      h.end = HeadingEnd(text, best_end);
      out.push_back(h);
      pos = h.end;
      first = i + 1;
      break;
    }
  }
  return out;
}

namespace {

std::string RemoveSpaces(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '*' && c != '#') {
      out.push_back(c);
    }
  }
  return out;
}

// Finds a 4-digit year followed by 年 in `s`; returns its position or npos.
size_t FindYear(absl::string_view s, int* year) {
  for (size_t i = 0; i + 4 < s.size(); ++i) {
    if ((s[i] == '1' || s[i] == '2') && (i == 0 || !isdigit(s[i - 1]))) {
      bool digits = true;
      for (int k = 0; k < 4; ++k) digits &= isdigit(s[i + k]) != 0;
      if (digits && absl::StartsWith(s.substr(i + 4), "年")) {
        int y = std::stoi(std::string(s.substr(i, 4)));
        if (y >= 1990 && y <= 2100) {
          *year = y;
          return i;
        }
      }
    }
  }
  return absl::string_view::npos;
}

absl::string_view TrimLine(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '#' || s.front() == '*')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\r' || s.back() == '*')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

TitleInfo ReadTitle(absl::string_view text) {
  TitleInfo info;
  // The first 60 non-empty lines, trimmed, read until the title is found.
  absl::string_view previous;  // the non-empty line before `line`
  size_t start = 0;
  for (int i = 0; i < 60; ++i) {
    absl::string_view trimmed;
    while (start < text.size() && trimmed.empty()) {
      size_t nl = text.find('\n', start);
      if (nl == absl::string_view::npos) nl = text.size();
      trimmed = TrimLine(text.substr(start, nl - start));
      start = nl + 1;
    }
    if (trimmed.empty()) break;
    const absl::string_view before = previous;
    previous = trimmed;
    const absl::string_view line = trimmed.size() > 300 ? absl::string_view() : trimmed;
    std::string compact = RemoveSpaces(line);
    absl::string_view c = compact;
    for (const char* prefix : {"标题:", "标题："}) absl::ConsumePrefix(&c, prefix);
    size_t gk = c.find("政府信息公开");
    if (gk == absl::string_view::npos || c.find("报告") == absl::string_view::npos) {
      continue;
    }
    int year = 0;
    size_t y = FindYear(c.substr(0, gk), &year);
    std::string organ;
    std::string title(line);
    if (y != absl::string_view::npos && y > 0) {
      organ = std::string(c.substr(0, y));
    } else if (y == 0) {
      size_t after = y + 4 + std::strlen("年");
      absl::string_view rest = c.substr(after);
      absl::ConsumePrefix(&rest, "度");
      organ = std::string(rest.substr(0, gk - (c.size() - rest.size())));
      if (organ.empty() && i > 0) {
        std::string prev = RemoveSpaces(before);
        if (prev.size() <= 60 &&
            prev.find_first_of(",.;:()") == std::string::npos &&
            !absl::StrContains(prev, "。")) {
          organ = prev;
          title = absl::StrCat(before, " ", line);
        }
      }
    } else {
      organ = std::string(c.substr(0, gk));
    }
    for (const char* suffix : {"关于", "《", "“"}) {
      if (absl::EndsWith(organ, suffix)) organ.resize(organ.size() - std::strlen(suffix));
    }
    info.title = title;
    info.organ = organ;
    info.year = year;
    break;
  }
  size_t p = text.find("统计期限");
  if (p != absl::string_view::npos) {
    p += std::strlen("统计期限");
    size_t limit = std::min(text.size(), p + 160);
    // Never cut a UTF-8 sequence: meta fields must be valid UTF-8 or the
    // serialised report cannot be read back (found by fuzz_services).
    while (limit > p && limit < text.size() &&
           (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) {
      --limit;
    }
    absl::string_view rest = text.substr(p, limit - p);
    size_t stop = rest.find("止");
    if (stop != absl::string_view::npos) {
      rest = rest.substr(0, stop + std::strlen("止"));
    } else {
      size_t dot = rest.find("。");
      if (dot != absl::string_view::npos) rest = rest.substr(0, dot);
    }
    std::string period;
    for (char ch : rest) {
      if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') period.push_back(ch);
    }
    absl::string_view pv = period;
    absl::ConsumePrefix(&pv, "为");
    absl::ConsumePrefix(&pv, "是");
    info.statistics_period = std::string(pv);
    if (info.year == 0) {
      int year = 0;
      if (FindYear(info.statistics_period, &year) != absl::string_view::npos) {
        info.year = year;
      }
    }
  }
  return info;
}

ReportFormat DetectFormat(absl::string_view text, size_t begin, size_t end) {
  // Column labels; row 1 = F2021, row 0 = F2019.
  static const auto* kLabels = new KeywordSet({
      {1, "制发件数"},     {1, "废止件数"},     {1, "现行有效"},
      {1, "本年收费金额"}, {0, "新制作数量"},   {0, "新公开数量"},
      {0, "对外公开总数"}, {0, "上一年项目数量"}, {0, "本年增/减"},
      {0, "采购项目数量"}, {0, "采购总金额"},   {0, "集中采购"},
  });
  std::vector<bool> seen(12, false);
  int votes[2] = {0, 0};
  kLabels->Scan(text, begin, end, [&](int k, size_t, size_t) {
    if (!seen[k]) {
      seen[k] = true;
      ++votes[kLabels->word(k).row];
    }
  });
  if (votes[0] == 0 && votes[1] == 0) return v1::REPORT_FORMAT_UNSPECIFIED;
  return votes[1] > votes[0] ? v1::REPORT_FORMAT_F2021 : v1::REPORT_FORMAT_F2019;
}

const std::vector<std::string>& T3AnchorRows() {
  // F2021's rows with the single （六）其他处理 row inserted before its
  // three sub-rows: every row either format can print, in form order.
  static const auto* kRows = [] {
    auto* rows = new std::vector<std::string>(
        T3Rows(TemplateVariant{v1::REPORT_FORMAT_F2021, false}));
    rows->insert(std::find(rows->begin(), rows->end(), "other.overdue_correction"),
                 "other");
    return rows;
  }();
  return *kRows;
}

std::vector<RowAnchor> FindT3Anchors(absl::string_view text, size_t begin,
                                     size_t end) {
  static const auto* kWords = new KeywordSet({
      {0, "本年新收"},        {0, "新收政府信息"},
      {1, "上年结转"},        {2, "予以公开"},
      {3, "部分公开"},        {4, "国家秘密"},
      {5, "其他法律"},        {5, "法规禁止"},
      {5, "行政止公开"},      {6, "三安全"},
      {6, "一稳定"},          {6, "危及"},
      {7, "第三方"},          {7, "合法权益"},
      {8, "内部事务"},        {9, "过程性"},
      {10, "执法案卷"},       {11, "查询事项"},
      {12, "不掌握"},         {13, "现成信息"},
      {13, "另行制作"},       {14, "仍不明确"},
      {14, "补正后申请"},     {15, "信访"},
      {15, "举报投诉"},       {16, "重复申请"},
      {17, "出版物"},         {18, "大量反复"},
      {19, "确认或"},         {19, "重新出具"},
      {20, "其他处理"},       {20, "(六)"},
      {21, "逾期不补正"},     {22, "收费通知"},
      {22, "缴纳费用"},
      // The sub-rows' enumerated starts: a wrapped label can push the
      // keywords above onto a line after the row's numbers.
      {21, "申请人", "1."},   {22, "申请人", "2."},
      {23, "其他", "3.", {"处理", "法律", "情形", "组织", "对外"}},
      {24, "总计"},           {24, "(七)"},
      {25, "结转下年"},       {25, "下年度继续"},
  });
  return FindAnchors(text, begin, end, *kWords);
}

std::vector<RowAnchor> FindT2Anchors(absl::string_view text, size_t begin,
                                     size_t end, ReportFormat format) {
  static const auto* kF2019 = new KeywordSet({
      {0, "规章"},         {1, "规范性文件"}, {2, "行政许可"},
      {3, "对外管理服务"}, {4, "行政处罚"},   {5, "行政强制"},
      {6, "事业性收费"},   {7, "集中采购"},
  });
  static const auto* kF2021 = new KeywordSet({
      {0, "规章"},     {1, "规范性文件"}, {2, "行政许可"},
      {3, "行政处罚"}, {4, "行政强制"},   {5, "事业性收费"},
  });
  if (format == v1::REPORT_FORMAT_F2019) return FindAnchors(text, begin, end, *kF2019);
  if (format == v1::REPORT_FORMAT_F2021) return FindAnchors(text, begin, end, *kF2021);
  return {};
}

std::vector<size_t> FindT2BlockHeaders(absl::string_view text, size_t begin,
                                       size_t end) {
  std::vector<size_t> out;
  size_t e = 0;
  for (size_t p; (p = FindFuzzy(text, "第二十条", begin, end, &e)) !=
                 absl::string_view::npos;
       begin = e) {
    out.push_back(p);
  }
  return out;
}

void BlankPageFooters(std::string* text) {
  size_t start = 0;
  while (start < text->size()) {
    size_t nl = text->find('\n', start);
    if (nl == std::string::npos) nl = text->size();
    absl::string_view line(text->data() + start, nl - start);
    absl::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) {
      t.remove_suffix(1);
    }
    // "第 3 页" footers are short and dash footers start with a dash
    // ('-', or the lead byte of — and –): other long lines are text.
    if (t.empty() || (t.size() > 24 && t.front() != '-' && t.front() != '\xE2')) {
      start = nl + 1;
      continue;
    }
    bool footer = false;
    for (absl::string_view dash : {absl::string_view("-"), absl::string_view("—"),
                                   absl::string_view("–")}) {
      absl::string_view u = t;
      if (absl::ConsumePrefix(&u, dash) && absl::ConsumeSuffix(&u, dash)) {
        while (!u.empty() && u.front() == ' ') u.remove_prefix(1);
        while (!u.empty() && u.back() == ' ') u.remove_suffix(1);
        footer = !u.empty() && u.size() <= 4 &&
                 std::all_of(u.begin(), u.end(), [](char c) { return isdigit(c); });
      }
      if (footer) break;
    }
    if (!footer && absl::StartsWith(t, "第") && absl::EndsWith(t, "页") &&
        t.size() <= 24) {
      footer = true;
    }
    if (footer) {
      for (size_t i = start; i < nl; ++i) (*text)[i] = ' ';
    }
    start = nl + 1;
  }
}

}  // namespace gongkai
