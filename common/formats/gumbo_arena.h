// GumboArena: the memory of one gumbo HTML parse, handed out from large
// chunks instead of one malloc per node, string and vector (gumbo makes
// hundreds of thousands of small allocations per page and frees them one by
// one afterwards; malloc and free were a quarter of an HTML report's parse).
//
// Plug it into gumbo with Options(): gumbo's allocator then bumps a pointer
// and its deallocator is a no-op for arena memory, so the tree is released
// all at once by Reset() (no gumbo_destroy_output walk) unless
// fell_back() says some blocks came from malloc.
//
// Bounded: once `max_bytes` are in chunks, further blocks come from malloc
// and go back with free (a hostile page costs what it did without the
// arena, never more than max_bytes more).
//
// Thread-safety: none; one arena per parse at a time (html_reader keeps one
// per thread).
#ifndef GONGKAI_COMMON_FORMATS_GUMBO_ARENA_H_
#define GONGKAI_COMMON_FORMATS_GUMBO_ARENA_H_

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace gongkai {

struct GumboArenaOptions {
  // Size of the first chunk; later chunks double, up to max_chunk_bytes.
  // Default: 256 KiB.
  size_t first_chunk_bytes = 256u << 10;
  // Largest chunk. Default: 8 MiB.
  size_t max_chunk_bytes = 8u << 20;
  // Most bytes held in chunks; blocks beyond come from malloc.
  // Default: 64 MiB.
  size_t max_bytes = 64u << 20;
  // Chunk bytes Reset() keeps for the next parse (the rest is freed).
  // Default: 2 MiB.
  size_t keep_bytes = 2u << 20;
};

class GumboArena {
 public:
  explicit GumboArena(GumboArenaOptions options = {});
  ~GumboArena();

  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;

  // kGumboDefaultOptions with this arena's allocator, deallocator and
  // userdata. Valid while the arena lives.
  GumboOptions Options();

  // A block of `size` bytes, 16-byte aligned; nullptr only when malloc
  // fails (gumbo aborts then, as with its default allocator).
  void* Allocate(size_t size);
  // No-op for arena blocks; free() for blocks that came from malloc.
  void Deallocate(void* block);

  // True when a block came from malloc since the last Reset(): the tree
  // must then be destroyed with gumbo_destroy_output(Options()) before
  // Reset().
  bool fell_back() const { return fell_back_; }
  // Bytes handed out from chunks since the last Reset().
  size_t used_bytes() const { return used_; }
  // Bytes held in chunks.
  size_t chunk_bytes() const { return held_; }

  // Forgets every arena block (their memory is reused or freed, so nothing
  // from the last parse may be touched after this) and frees chunks past
  // GumboArenaOptions::keep_bytes.
  void Reset();

 private:
  struct Chunk {
    std::unique_ptr<char[]> memory;
    size_t size = 0;
  };
  bool InChunks(const void* block) const;

  GumboArenaOptions options_;
  std::vector<Chunk> chunks_;
  size_t current_ = 0;   // chunk being filled
  size_t offset_ = 0;    // first free byte in it
  size_t held_ = 0;      // bytes in chunks_
  size_t used_ = 0;
  bool fell_back_ = false;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_GUMBO_ARENA_H_
