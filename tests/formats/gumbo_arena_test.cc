// GumboArena: blocks are aligned and distinct, Reset() reuses and trims the
// chunks, the malloc fallback past max_bytes, and a whole gumbo parse and
// destroy in the arena (with and without the fallback).
#include "common/formats/gumbo_arena.h"

#include <gumbo.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(GumboArenaTest, BlocksAreAlignedAndDoNotOverlap) {
  GumboArenaOptions options;
  options.first_chunk_bytes = 1024;
  GumboArena arena(options);
  std::set<uintptr_t> starts;
  for (size_t size : {1, 7, 16, 17, 100, 1000, 3000, 5}) {
    auto* block = static_cast<char*>(arena.Allocate(size));
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 16, 0u) << size;
    std::memset(block, 0xAB, size);  // ASan reports a block past its chunk
    starts.insert(reinterpret_cast<uintptr_t>(block));
  }
  EXPECT_EQ(starts.size(), 8u);
  EXPECT_FALSE(arena.fell_back());
  // 1+7+16+17+100+1000+3000+5 rounded to 16 each.
  EXPECT_EQ(arena.used_bytes(), 16u + 16 + 16 + 32 + 112 + 1008 + 3008 + 16);
}

TEST(GumboArenaTest, ResetReusesKeptChunksAndFreesTheRest) {
  GumboArenaOptions options;
  options.first_chunk_bytes = 1024;
  options.keep_bytes = 1024;
  GumboArena arena(options);
  void* first = arena.Allocate(64);
  for (int i = 0; i < 100; ++i) arena.Allocate(100);  // more chunks
  EXPECT_GT(arena.chunk_bytes(), 1024u);
  arena.Reset();
  EXPECT_EQ(arena.chunk_bytes(), 1024u);
  EXPECT_EQ(arena.used_bytes(), 0u);
  EXPECT_EQ(arena.Allocate(64), first);  // the kept first chunk, from its start
}

TEST(GumboArenaTest, PastMaxBytesBlocksComeFromMallocAndAreFreed) {
  GumboArenaOptions options;
  options.first_chunk_bytes = 1024;
  options.max_chunk_bytes = 1024;
  options.max_bytes = 2048;
  GumboArena arena(options);
  arena.Allocate(1000);
  arena.Allocate(1000);  // second chunk
  EXPECT_FALSE(arena.fell_back());
  void* outside = arena.Allocate(1000);
  ASSERT_NE(outside, nullptr);
  EXPECT_TRUE(arena.fell_back());
  EXPECT_EQ(arena.chunk_bytes(), 2048u);
  std::memset(outside, 1, 1000);
  arena.Deallocate(outside);  // LSan/ASan see a leak or a bad free otherwise
  arena.Reset();
  EXPECT_FALSE(arena.fell_back());
}

std::string Page(int rows) {
  std::string html = "<html><head><title>示例</title></head><body><table>";
  for (int i = 0; i < rows; ++i) {
    absl::StrAppend(&html, "<tr><td class=\"c\">行", i, "</td><td>", i * 7, "</td></tr>");
  }
  return html + "</table><p>说明<b>粗体</p></body></html>";
}

// The text of every node, depth first.
void CollectText(const GumboNode* node, std::string* out) {
  if (node->type == GUMBO_NODE_TEXT) {
    out->append(node->v.text.text);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return;
  const GumboVector& kids = node->type == GUMBO_NODE_ELEMENT ? node->v.element.children
                                                             : node->v.document.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    CollectText(static_cast<const GumboNode*>(kids.data[i]), out);
  }
}

std::string TextWith(const GumboOptions& options, const std::string& html) {
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::string text;
  CollectText(output->root, &text);
  gumbo_destroy_output(&options, output);
  return text;
}

TEST(GumboArenaTest, ParsesAPageAsMallocDoes) {
  const std::string html = Page(2000);
  const std::string expected = TextWith(kGumboDefaultOptions, html);
  ASSERT_NE(expected.find("行1999"), std::string::npos);
  GumboArena arena;
  EXPECT_EQ(TextWith(arena.Options(), html), expected);
  EXPECT_FALSE(arena.fell_back());
  EXPECT_GT(arena.used_bytes(), html.size());
  arena.Reset();
  // Again in the reused chunks.
  EXPECT_EQ(TextWith(arena.Options(), html), expected);
}

TEST(GumboArenaTest, ParsesAPageThatOutgrowsTheArena) {
  const std::string html = Page(5000);
  GumboArenaOptions options;
  options.first_chunk_bytes = 4096;
  options.max_chunk_bytes = 4096;
  options.max_bytes = 64 << 10;  // far less than the tree needs
  GumboArena arena(options);
  EXPECT_EQ(TextWith(arena.Options(), html), TextWith(kGumboDefaultOptions, html));
  EXPECT_TRUE(arena.fell_back());  // destroy freed the malloc'd blocks (LSan checks)
  arena.Reset();
}

}  // namespace
}  // namespace gongkai
