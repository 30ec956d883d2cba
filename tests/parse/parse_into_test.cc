// ReportParser::ParseInto (one message reused across reports) must give
// exactly what Parse gives, whatever the previous report left in the message;
// DecodeAndNormalize and NormalizeNfkcText (the one-pass text path) must give
// exactly what DecodeToUtf8 + NormalizeNfkc give, errors included.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "absl/strings/str_cat.h"
#include "common/parse/decode.h"
#include "common/parse/normalize.h"
#include "common/parse/parser.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

// The seeds (when ../shared is there) and the synthetic layout fixtures:
// reports of different shapes (ok, repaired and ambiguous cells, F2019/F2021).
std::vector<Document> LoadReports() {
  std::vector<fs::path> paths;
  const fs::path seeds = fs::path(GONGKAI_SHARED_DIR) / "seeds";
  if (fs::exists(seeds)) {
    for (const auto& e : fs::directory_iterator(seeds)) {
      if (e.path().extension() == ".txt") paths.push_back(e.path());
    }
  }
  for (const auto& e : fs::directory_iterator(fs::path(GONGKAI_TESTDATA_DIR) / "parse")) {
    if (e.path().extension() != ".json") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Document> docs;
  for (const fs::path& p : paths) {
    auto bytes = testing::ReadFile(p.string());
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    if (!bytes.ok()) continue;
    Document d;
    d.bytes = *std::move(bytes);
    d.name = p.filename().string();
    docs.push_back(std::move(d));
  }
  return docs;
}

// With and without the normalised text kept (ParserOptions::keep_text).
class ParseIntoOrderTest : public ::testing::TestWithParam<bool> {};

TEST_P(ParseIntoOrderTest, ReusedMessageEqualsParseInEveryOrder) {
  std::vector<Document> docs = LoadReports();
  ASSERT_GE(docs.size(), 4u);
  ParserOptions options;
  options.keep_text = GetParam();
  ReportParser parser(options);
  // A fixture Parse rejects must be rejected alike (expected is the status).
  std::vector<std::string> expected;
  std::vector<absl::Status> statuses;
  for (const Document& d : docs) {
    auto report = parser.Parse(d);
    statuses.push_back(report.status());
    expected.push_back(report.ok() ? report->SerializeAsString() : std::string());
  }
  ASSERT_GE(std::count_if(statuses.begin(), statuses.end(),
                          [](const absl::Status& s) { return s.ok(); }),
            4);
  // Forwards, backwards and each report twice in a row, into one message.
  std::vector<size_t> order;
  for (size_t i = 0; i < docs.size(); ++i) order.push_back(i);
  for (size_t i = docs.size(); i-- > 0;) order.push_back(i);
  for (size_t i = 0; i < docs.size(); ++i) order.insert(order.end(), {i, i});
  v1::AnnualReport reused;
  for (size_t i : order) {
    absl::Status status = parser.ParseInto(docs[i], &reused);
    EXPECT_EQ(status, statuses[i]) << docs[i].name;
    if (!status.ok()) continue;
    EXPECT_EQ(reused.SerializeAsString(), expected[i]) << docs[i].name;
    EXPECT_FALSE(reused.cells().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(KeepText, ParseIntoOrderTest, ::testing::Bool());

TEST(ParseIntoTest, ErrorsAreParsesAndTheMessageRecovers) {
  std::vector<Document> docs = LoadReports();
  ASSERT_FALSE(docs.empty());
  ReportParser parser;
  v1::AnnualReport reused;
  ASSERT_TRUE(parser.ParseInto(docs[0], &reused).ok()) << docs[0].name;
  for (const std::string& bad :
       {std::string(), std::string("plain prose, no tables at all\n"),
        std::string("\x00\x01\x02 binary", 10), std::string("\xFF\xFF\xFE\x80 junk")}) {
    Document d;
    d.bytes = bad;
    auto plain = parser.Parse(d);
    absl::Status into = parser.ParseInto(d, &reused);
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(into.code(), plain.status().code());
    EXPECT_EQ(into.message(), plain.status().message());
  }
  ASSERT_TRUE(parser.ParseInto(docs[0], &reused).ok());
  auto fresh = parser.Parse(docs[0]);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(reused.SerializeAsString(), fresh->SerializeAsString());
}

// ParseInto keeps per-thread scratch storage between reports and trims what
// a large report left: the reports after one still parse as on a fresh thread.
TEST(ParseIntoTest, LargeReportLeavesNoTraceInTheNextOnes) {
  std::vector<Document> docs = LoadReports();
  ASSERT_FALSE(docs.empty());
  ReportParser parser;
  std::vector<std::string> expected(docs.size());
  std::thread fresh([&] {
    for (size_t i = 0; i < docs.size(); ++i) {
      auto report = parser.Parse(docs[i]);
      if (report.ok()) expected[i] = report->SerializeAsString();
    }
  });
  fresh.join();
  // A report with thousands of number lines and a line of thousands of
  // fields under its table 三 row 予以公开, and a long digit run.
  std::string big;
  for (const Document& d : docs) {
    const size_t row = d.bytes.find("予以公开");
    const size_t line_end = row == std::string::npos ? row : d.bytes.find('\n', row);
    if (line_end == std::string::npos) continue;
    std::string junk;
    for (int i = 0; i < 3000; ++i) junk += "1\t2\t3\t4\t5\t6\t21\n";
    for (int i = 0; i < 2000; ++i) junk += "7\t";
    junk += "\n1234567890123456789\n";
    big = d.bytes.substr(0, line_end + 1) + junk + d.bytes.substr(line_end + 1);
    break;
  }
  ASSERT_FALSE(big.empty()) << "no UTF-8 report with 予以公开";
  Document large;
  large.bytes = big;
  large.name = "large";
  v1::AnnualReport reused;
  (void)parser.ParseInto(large, &reused);  // may or may not parse; only its traces matter
  for (size_t i = 0; i < docs.size(); ++i) {
    absl::Status status = parser.ParseInto(docs[i], &reused);
    if (expected[i].empty()) {
      EXPECT_FALSE(status.ok()) << docs[i].name;
      continue;
    }
    ASSERT_TRUE(status.ok()) << docs[i].name << ": " << status;
    EXPECT_EQ(reused.SerializeAsString(), expected[i]) << docs[i].name;
  }
}

// DecodeAndNormalize must equal DecodeToUtf8 then NormalizeNfkc, text,
// encoding, truncation flag and errors alike.
void ExpectSameAsTwoSteps(const std::string& bytes) {
  SCOPED_TRACE(::testing::PrintToString(bytes));
  std::string text = "left over from before";
  auto fused = DecodeAndNormalize(bytes, &text);
  auto decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) {
    ASSERT_FALSE(fused.ok());
    EXPECT_EQ(fused.status(), decoded.status());
    return;
  }
  auto normalized = NormalizeNfkc(decoded->utf8);
  if (!normalized.ok()) {
    ASSERT_FALSE(fused.ok());
    EXPECT_EQ(fused.status(), normalized.status());
    return;
  }
  ASSERT_TRUE(fused.ok()) << fused.status();
  EXPECT_EQ(text, normalized->text);
  EXPECT_EQ(fused->encoding, decoded->encoding);
  EXPECT_EQ(fused->truncated_tail, decoded->truncated_tail);
  EXPECT_TRUE(fused->utf8.empty());
  std::string only_text = "x";
  ASSERT_TRUE(NormalizeNfkcText(decoded->utf8, &only_text).ok());
  EXPECT_EQ(only_text, normalized->text);
}

TEST(DecodeAndNormalizeTest, SameAsDecodeThenNormalize) {
  const std::string report =
      "示例县2020年政府信息公开工作年度报告\n（一）予以公开\t１２\t3,764\n"
      "ｆｉ ﬁ ㈠ ①　全角空格 Å é\n";
  for (const std::string& bytes : {
           report,
           "\xEF\xBB\xBF" + report,                        // UTF-8 BOM
           std::string("\xEF\xBB\xBF"),                    // only a BOM
           std::string(),                                  // empty
           testing::Encode(report, "GB18030"),             // not UTF-8
           "\xFF\xFE" + testing::Encode(report, "UTF-16LE"),
           "\xFE\xFF" + testing::Encode(report, "UTF-16BE"),
           report + "\xE5\x85",                            // cut last character
           std::string("abc\xC0\xAF"),                     // overlong
           std::string("abc\xED\xA0\x80"),                 // surrogate
           std::string("abc\xF4\x90\x80\x80"),             // above U+10FFFF
           std::string("abc\x00" "def", 7),                // NUL
           std::string(40, '\x01') + "text",               // control bytes
           std::string("a\x01" "b\x02" "c\x1b" "d\t\n\r\f\v"),  // a few are fine
       }) {
    ExpectSameAsTwoSteps(bytes);
  }
}

// The binary check DecodeAndNormalize does inside the NFKC pass decides as
// CheckNotBinary does: control bytes at every offset of an eight-byte word
// and in the tail, between ideographs, at and around the thresholds (over 8
// and over 1% of the bytes), NUL anywhere.
TEST(DecodeAndNormalizeTest, BinaryCheckInTheNfkcPassIsCheckNotBinarys) {
  const std::string filler = "示例\t文本 text１２\n";  // 25 bytes, ASCII and not
  std::string text;
  for (int controls : {8, 9, 12}) {
    for (size_t lead : {size_t{0}, size_t{1}, size_t{3}, size_t{7}, size_t{13}}) {
      for (size_t fillers : {size_t{1}, size_t{30}, size_t{45}, size_t{60}}) {
        std::string bytes(lead, 'a');
        for (int c = 0; c < controls; ++c) {
          bytes += static_cast<char>(c % 2 == 0 ? '\x01' : '\x1f');
          bytes += c % 2 == 0 ? "ab\tc" : "ab\tc示";
        }
        for (size_t f = 0; f < fillers; ++f) bytes += filler;
        ExpectSameAsTwoSteps(bytes);
        EXPECT_EQ(DecodeAndNormalize(bytes, &text).ok(), CheckNotBinary(bytes).ok())
            << controls << " controls, " << bytes.size() << " bytes";
        std::string nul = bytes;
        nul.insert(nul.size() - lead, 1, '\0');
        ExpectSameAsTwoSteps(nul);
        EXPECT_FALSE(DecodeAndNormalize(nul, &text).ok());
      }
    }
  }
  // Text controls (\t \n \v \f \r, ESC) never count.
  std::string text_controls;
  for (int i = 0; i < 200; ++i) text_controls += "\t\n\v\f\r\x1b";
  ExpectSameAsTwoSteps(text_controls + filler);
  EXPECT_TRUE(DecodeAndNormalize(text_controls + filler, &text).ok());
}

// The eight-byte count equals IsBinaryControl byte by byte: every byte value
// at every position, next to every byte value in the neighbouring position
// (carries and borrows between bytes would show there).
TEST(BinaryControlsTest, WordCountIsPerByteCount) {
  for (int pos = 0; pos < 8; ++pos) {
    for (int b = 0; b < 256; ++b) {
      for (int other = 0; other < 256; ++other) {
        unsigned char bytes[8];
        for (int k = 0; k < 8; ++k) bytes[k] = static_cast<unsigned char>((b * 7 + k * 37) & 0xFF);
        bytes[pos] = static_cast<unsigned char>(b);
        bytes[(pos + 1) % 8] = static_cast<unsigned char>(other);
        int expected = 0;
        for (unsigned char c : bytes) expected += IsBinaryControl(c);
        uint64_t w;
        std::memcpy(&w, bytes, 8);
        ASSERT_EQ(BinaryControlsInWord(w), expected) << "pos " << pos << " byte " << b
                                                     << " next " << other;
      }
    }
  }
  size_t first_nul;
  EXPECT_EQ(CountBinaryControls(std::string("a\x01\tb\x1b\x02\x00\x7f\x9b" "cdefgh\x1f", 16), &first_nul), 4u);
  EXPECT_EQ(first_nul, 6u);
}

// The vector (16 bytes) and word (8 bytes) paths and the byte tail agree
// with IsBinaryControl for every byte value at every position.
TEST(BinaryControlsTest, BufferCountIsPerByteCount) {
  for (size_t size : {7u, 16u, 31u, 40u}) {
    for (size_t pos = 0; pos < size; ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string bytes(size, 'x');
        for (size_t k = 0; k < size; ++k) bytes[k] = static_cast<char>((k * 29 + 3) & 0xFF);
        bytes[pos] = static_cast<char>(b);
        size_t expected = 0;
        for (char c : bytes) expected += IsBinaryControl(static_cast<unsigned char>(c));
        size_t first_nul;
        ASSERT_EQ(CountBinaryControls(bytes, &first_nul), expected)
            << "size " << size << " pos " << pos << " byte " << b;
      }
    }
  }
}

// NFKC of the whole string by ICU in one call (the reference).
std::string IcuNfkc(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfkc = unorm2_getNFKCInstance(&status);
  std::u16string in(utf8.size() + 1, u'\0'), out(utf8.size() * 4 + 16, u'\0');
  int32_t in_len = 0;
  u_strFromUTF8(reinterpret_cast<UChar*>(in.data()), static_cast<int32_t>(in.size()), &in_len,
                utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  const int32_t out_len = unorm2_normalize(
      nfkc, reinterpret_cast<const UChar*>(in.data()), in_len,
      reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &status);
  std::string result(out_len * 3 + 1, '\0');
  int32_t result_len = 0;
  u_strToUTF8(result.data(), static_cast<int32_t>(result.size()), &result_len,
              reinterpret_cast<const UChar*>(out.data()), out_len, &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  result.resize(result_len);
  return result;
}

// The fast paths (inert runs, fullwidth ASCII alone) give ICU's answer, also
// where a combining mark follows a fullwidth character.
TEST(NormalizeNfkcTextTest, EqualsIcuOnTheWholeText) {
  std::vector<std::string> texts = {
      "Ａ\u0301 （\u0301） ｆ\u0308ｉ ＡＢ\u0323\u0307 ａ１：、。《》“”",
      "（一）予以公开\t１２\t3,764\n①②㈠ ﬁ　Å\u212B 가\u1100\u1161 ｶﾞ ％",
  };
  for (const Document& d : LoadReports()) {
    auto decoded = DecodeToUtf8(d.bytes);
    if (decoded.ok()) texts.push_back(decoded->utf8);
  }
  // Every 3-byte character (U+0800..U+FFFF, no surrogates), in order and
  // each between two ideographs: the fast path's per-block and per-character
  // inert tables against ICU.
  std::string every, between;
  for (uint32_t c = 0x800; c <= 0xFFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const char utf8[] = {static_cast<char>(0xE0 | c >> 12),
                         static_cast<char>(0x80 | (c >> 6 & 0x3F)),
                         static_cast<char>(0x80 | (c & 0x3F))};
    every.append(utf8, 3);
    between.append("中").append(utf8, 3).append("文");
  }
  texts.push_back(every);
  texts.push_back(between);
  for (const std::string& t : texts) {
    std::string ours;
    ASSERT_TRUE(NormalizeNfkcText(t, &ours).ok());
    EXPECT_EQ(ours, IcuNfkc(t)) << t.substr(0, 80);
  }
}

// The 32-byte step (InertPrefix32) at every alignment: strings drawn from
// characters it accepts and characters that must end it (CJK punctuation,
// fullwidth forms, combining marks, 4-byte characters, text and binary
// controls) give ICU's answer, the same text with and without the offset
// map, and an offset map with one entry per byte.
TEST(NormalizeNfkcTextTest, ThirtyTwoByteStepsEqualIcu) {
  const std::vector<std::string> palette = {
      "a", "7", " ", "\t", "\n", "\r", "\x7F", "\x0B", "\x1B", "\x01",
      "中", "一", "龥", "䀀", "、", "。", "《", "　", "，", "（", "１", "ａ",
      "\u0301", "\U00020000", "Ů", "㎏", "ｶ", "ﬁ"};
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 16;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = static_cast<int>(next() % 40);
    // Mostly accepted characters, so that long steps happen.
    for (int k = 0; k < length; ++k) {
      const uint32_t pick = next() % 100;
      text += pick < 70 ? palette[pick % 11] : palette[pick % palette.size()];
    }
    std::string ours;
    ASSERT_TRUE(NormalizeNfkcText(text, &ours).ok()) << text;
    EXPECT_EQ(ours, IcuNfkc(text)) << text;
    auto mapped = NormalizeNfkc(text);
    ASSERT_TRUE(mapped.ok()) << text;
    EXPECT_EQ(mapped->text, ours);
    EXPECT_EQ(mapped->source_offsets.size(), ours.size() + 1);
  }
}

// An ill-formed byte anywhere in a text of ideographs and ASCII is reported
// at its offset, wherever it falls in a 32-byte step.
TEST(NormalizeNfkcTextTest, InvalidUtf8IsFoundAtEveryOffset) {
  std::string base;
  while (base.size() < 100) base += "中文ab";
  for (size_t at = 0; at < base.size(); ++at) {
    // Only at character starts: 0xFF there cannot be part of a character.
    if ((static_cast<unsigned char>(base[at]) & 0xC0) == 0x80) continue;
    std::string text = base;
    text[at] = '\xFF';
    std::string ours;
    const absl::Status status = NormalizeNfkcText(text, &ours);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << at;
    EXPECT_NE(status.message().find(absl::StrCat("at byte ", at)), absl::string_view::npos)
        << at << ": " << status.message();
  }
  // A character cut short by the end of the text.
  std::string cut = base + "中";
  cut.pop_back();
  std::string ours;
  EXPECT_EQ(NormalizeNfkcText(cut, &ours).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai
