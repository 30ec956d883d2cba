// Tests for gongkai_text: decoding and NFKC normalisation with offsets.
#include <string>

#include <unicode/ucnv.h>

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

// Every two-byte GB18030 code ICU maps, one after another with ASCII
// between some of them, and ICU's own decoding of the whole text.
struct AllPairs {
  std::string gb18030;
  std::string utf8;
};

AllPairs EveryMappedPair() {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* gb = ucnv_open("GB18030", &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  ucnv_setToUCallBack(gb, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  AllPairs all;
  for (int lead = 0x81; lead <= 0xFE; ++lead) {
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      const char pair[2] = {static_cast<char>(lead), static_cast<char>(trail)};
      UChar unit[4];
      UErrorCode s = U_ZERO_ERROR;
      if (ucnv_toUChars(gb, unit, 4, pair, 2, &s) != 1 || U_FAILURE(s)) continue;
      all.gb18030.append(pair, 2);
      if (trail % 16 == 0) all.gb18030 += "a1\t";
    }
  }
  ucnv_close(gb);
  std::string utf8(all.gb18030.size() * 2, '\0');
  status = U_ZERO_ERROR;
  const int32_t n = ucnv_convert("UTF-8", "GB18030", utf8.data(), utf8.size(),
                                 all.gb18030.data(), all.gb18030.size(), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  utf8.resize(U_SUCCESS(status) ? n : 0);
  all.utf8 = utf8;
  return all;
}

TEST(DecodeTest, TwoByteGb18030DecodesAsIcuDoes) {
  const AllPairs all = EveryMappedPair();
  // GBK's 21,886 codes at least, and a few hundred PUA codes GB18030 adds.
  EXPECT_GT(all.gb18030.size(), 2u * 21886);
  std::string out = "previous contents";
  ASSERT_TRUE(DecodeGb18030TwoByte(all.gb18030, &out));
  EXPECT_EQ(out, all.utf8);
  // Through DecodeToUtf8, which takes the same path.
  auto d = DecodeToUtf8(all.gb18030);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, all.utf8);
  // Known codes, independent of ICU: 示 CA BE, 例 C0 FD, 、 A1 A2.
  ASSERT_TRUE(DecodeGb18030TwoByte("\xCA\xBE\xC0\xFD\xA1\xA2 12", &out));
  EXPECT_EQ(out, "示例、 12");
}

TEST(DecodeTest, OtherGb18030SequencesAreLeftToIcu) {
  // 示 then ¥, which GB18030 writes as a four-byte code.
  const std::string four = Encode("示\u00A5", "GB18030");
  ASSERT_EQ(four.size(), 6u);
  std::string out;
  // The four-byte code, a stray 0x80, a cut-off lead byte, an illegal trail
  // byte, and 0x7F, which is no trail byte.
  for (const std::string& bytes :
       {four, std::string("a\x80"), std::string("\xCA\xBE\xC0"), std::string("\xCA\x20"),
        std::string("\xCA\x7F")}) {
    EXPECT_FALSE(DecodeGb18030TwoByte(bytes, &out)) << bytes;
  }
  // The four-byte text still decodes (through ICU); the others fail as before.
  auto d = DecodeToUtf8(four);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, "示\u00A5");
  EXPECT_EQ(DecodeToUtf8("\xCA\xBE\xC0").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeToUtf8("\xCA\x7F").status().code(), absl::StatusCode::kInvalidArgument);
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
