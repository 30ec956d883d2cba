// Tests for gongkai_text: decoding and NFKC normalisation with offsets.
#include <string>

#include "absl/status/status.h"
#include "common/parse/decode.h"
#include "common/parse/normalize.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

using testing::Encode;

const char kSample[] = "示例县2021年政府信息公开工作年度报告\n规章\t0\t1\t２３\n";

TEST(DecodeTest, Utf8PassesThrough) {
  auto d = DecodeToUtf8(kSample);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_EQ(d->utf8, kSample);
}

TEST(DecodeTest, Utf8BomIsDropped) {
  auto d = DecodeToUtf8(std::string("\xEF\xBB\xBF") + kSample);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_EQ(d->utf8, kSample);
}

TEST(DecodeTest, Gb18030IsDetectedAndConverted) {
  const std::string gb = Encode(kSample, "GB18030");
  ASSERT_NE(gb, kSample);
  auto d = DecodeToUtf8(gb);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, kSample);
}

TEST(DecodeTest, GbkBytesDecodeAsGb18030) {
  auto d = DecodeToUtf8(Encode(kSample, "GBK"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->utf8, kSample);
}

TEST(DecodeTest, Utf16WithBoms) {
  for (const char* cs : {"UTF-16LE", "UTF-16BE"}) {
    std::string bom = std::string(cs) == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF";
    auto d = DecodeToUtf8(bom + Encode(kSample, cs));
    ASSERT_TRUE(d.ok()) << cs << ": " << d.status();
    EXPECT_EQ(d->encoding, cs);
    EXPECT_EQ(d->utf8, kSample);
  }
}

TEST(DecodeTest, TruncatedUtf16IsRejected) {
  std::string bytes = "\xFF\xFE" + Encode(kSample, "UTF-16LE");
  bytes.pop_back();
  auto d = DecodeToUtf8(bytes);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos);
}

TEST(DecodeTest, EmptyAndBinaryAreRejected) {
  EXPECT_EQ(DecodeToUtf8("").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto nul = DecodeToUtf8(std::string("abc\0def", 7));
  EXPECT_EQ(nul.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(nul.status().message().find("NUL byte at offset 3"),
            std::string::npos)
      << nul.status();
  std::string junk;
  for (int i = 0; i < 400; ++i) junk.push_back(static_cast<char>(1 + i % 30));
  EXPECT_EQ(DecodeToUtf8(junk).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DecodeTest, InvalidInEveryEncodingIsRejected) {
  // 0xFF is neither a UTF-8 nor a GB18030 lead byte.
  auto d = DecodeToUtf8("report \xFF\xFF text");
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("invalid UTF-8 at byte 7"),
            std::string::npos)
      << d.status();
  // A GB18030 text cut in the middle of a two-byte character.
  std::string gb = Encode("示例", "GB18030");
  gb.pop_back();
  EXPECT_EQ(DecodeToUtf8(gb).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Utf8Test, RejectsOverlongAndSurrogates) {
  size_t bad = 99;
  EXPECT_FALSE(IsValidUtf8("ab\xC0\x80", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_TRUE(IsValidUtf8("示例 Ů"));
}

TEST(NormalizeTest, FullWidthBecomesAsciiWithOffsets) {
  // "（一）１２，３" : full-width parens, digits and comma.
  const std::string in = "示（一）１２，３";
  auto n = NormalizeNfkc(in);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->text, "示(一)12,3");
  ASSERT_EQ(n->source_offsets.size(), n->text.size() + 1);
  // '示' is 3 bytes at 0; '(' at normalised 3 came from input 3.
  EXPECT_EQ(n->SourceOffset(3), 3u);
  // '一' (normalised 4..6) came from input 6.
  EXPECT_EQ(n->SourceOffset(4), 6u);
  // '1' (normalised 8) came from '１' at input 12.
  EXPECT_EQ(n->SourceOffset(8), 12u);
  // '3' (last byte) came from '３' at input 21.
  EXPECT_EQ(n->SourceOffset(n->text.size() - 1), 21u);
  EXPECT_EQ(n->SourceOffset(n->text.size()), in.size());
}

TEST(NormalizeTest, IdeographicSpaceAndAsciiUnchanged) {
  auto n = NormalizeNfkc("a\xE3\x80\x80" "b\t1");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->text, "a b\t1");
  EXPECT_EQ(n->SourceOffset(2), 4u);
}

TEST(NormalizeTest, OcrGlyphsKept) {
  auto n = NormalizeNfkc("Ů 共他");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->text, "Ů 共他");
}

TEST(NormalizeTest, RejectsInvalidUtf8) {
  EXPECT_EQ(NormalizeNfkc("\xFF").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai
