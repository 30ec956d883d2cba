// Prng: the generator's pseudo-random source. SplitMix64, with integer-only
// draws, so the same seed gives the same sequence on every platform and
// standard library (std:: distributions are implementation-defined and are
// not used by the corpus generator).
//
// Thread-safety: a value type; one instance per thread.
#ifndef GONGKAI_TOOLS_CORPUSGEN_PRNG_H_
#define GONGKAI_TOOLS_CORPUSGEN_PRNG_H_

#include <cstdint>
#include <vector>

namespace gongkai {
namespace corpusgen {

class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}

  // The stream for item `index` of a corpus seeded with `seed`: independent
  // of every other index, so reports can be generated in any order.
  static Prng ForItem(uint64_t seed, uint64_t index) {
    Prng mixer(seed ^ (index * 0xD1B54A32D192ED03ULL));
    mixer.Next();
    return Prng(mixer.Next() ^ index);
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); 0 when n == 0.
  uint64_t Below(uint64_t n) {
    if (n == 0) return 0;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = Next();
    } while (x >= limit);
    return x % n;
  }

  // Uniform in [lo, hi] (inclusive); lo when hi < lo.
  int64_t Range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability per_mille / 1000.
  bool Chance(int per_mille) { return Below(1000) < static_cast<uint64_t>(per_mille); }

  // Index drawn with the given non-negative integer weights (not all zero).
  size_t Weighted(const std::vector<int>& weights) {
    int64_t total = 0;
    for (int w : weights) total += w;
    int64_t x = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

  // Log-uniform count in [0, max]: as likely to have 1 digit as 4 digits.
  int64_t LogUniform(int64_t max) {
    if (max <= 0) return 0;
    int digits = 0;
    for (int64_t m = max; m > 0; m /= 10) ++digits;
    const int d = static_cast<int>(Below(static_cast<uint64_t>(digits) + 1));
    if (d == 0) return 0;
    int64_t lo = 1;
    for (int i = 1; i < d; ++i) lo *= 10;
    int64_t hi = lo * 10 - 1;
    if (hi > max) hi = max;
    return Range(lo, hi);
  }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_PRNG_H_
