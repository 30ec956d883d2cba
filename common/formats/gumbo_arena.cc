#include "common/formats/gumbo_arena.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

namespace gongkai {
namespace {

constexpr size_t kAlign = 16;

size_t RoundUp(size_t size) { return (size + kAlign - 1) & ~(kAlign - 1); }

void* ArenaAllocate(void* userdata, size_t size) {
  return static_cast<GumboArena*>(userdata)->Allocate(size);
}

void ArenaDeallocate(void* userdata, void* block) {
  static_cast<GumboArena*>(userdata)->Deallocate(block);
}

}  // namespace

GumboArena::GumboArena(GumboArenaOptions options) : options_(options) {}

GumboArena::~GumboArena() = default;

GumboOptions GumboArena::Options() {
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &ArenaAllocate;
  options.deallocator = &ArenaDeallocate;
  options.userdata = this;
  return options;
}

void* GumboArena::Allocate(size_t size) {
  const size_t need = RoundUp(std::max<size_t>(size, 1));
  // The current chunk, then the kept ones after it (Reset() rewinds).
  while (current_ < chunks_.size()) {
    Chunk& chunk = chunks_[current_];
    if (chunk.size - offset_ >= need) {
      void* block = chunk.memory.get() + offset_;
      offset_ += need;
      used_ += need;
      return block;
    }
    if (current_ + 1 == chunks_.size()) break;
    ++current_;
    offset_ = 0;
  }
  size_t size_of_next =
      chunks_.empty() ? options_.first_chunk_bytes
                      : std::min(options_.max_chunk_bytes, chunks_.back().size * 2);
  size_of_next = std::max(size_of_next, need);
  if (held_ + size_of_next > options_.max_bytes) {
    fell_back_ = true;
    return std::malloc(size);
  }
  Chunk chunk;
  // new[] of char gives memory aligned for any fundamental type (16 here).
  chunk.memory.reset(new char[size_of_next]);
  chunk.size = size_of_next;
  held_ += size_of_next;
  chunks_.push_back(std::move(chunk));
  current_ = chunks_.size() - 1;
  offset_ = need;
  used_ += need;
  return chunks_.back().memory.get();
}

bool GumboArena::InChunks(const void* block) const {
  const std::less_equal<const void*> le;
  const std::less<const void*> lt;
  for (const Chunk& chunk : chunks_) {
    const char* begin = chunk.memory.get();
    if (le(begin, block) && lt(block, begin + chunk.size)) return true;
  }
  return false;
}

void GumboArena::Deallocate(void* block) {
  if (block == nullptr) return;
  // Arena blocks go with Reset(); only malloc's come here to be freed.
  if (fell_back_ && !InChunks(block)) std::free(block);
}

void GumboArena::Reset() {
  size_t kept = 0;
  size_t keep_chunks = 0;
  while (keep_chunks < chunks_.size() &&
         kept + chunks_[keep_chunks].size <= options_.keep_bytes) {
    kept += chunks_[keep_chunks].size;
    ++keep_chunks;
  }
  chunks_.resize(keep_chunks);
  held_ = kept;
  current_ = 0;
  offset_ = 0;
  used_ = 0;
  fell_back_ = false;
}

}  // namespace gongkai
