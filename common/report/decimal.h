// Decimal: an exact fixed-point number for cell values (counts and 万元
// amounts). Sums of printed numbers must be exact, so no floating point.
//
// Range: |value| < 9.2e10 with 8 fractional digits (int64 in units of 1e-8),
// enough for any amount in 万元 converted from 元 with 4 decimals.
// Thread-safety: a value type; safe to copy between threads.
#ifndef GONGKAI_COMMON_REPORT_DECIMAL_H_
#define GONGKAI_COMMON_REPORT_DECIMAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

class Decimal {
 public:
  static constexpr int kFractionDigits = 8;
  static constexpr int64_t kScale = 100000000;  // 10^kFractionDigits

  constexpr Decimal() = default;
  static constexpr Decimal FromInt(int64_t whole) {
    return Decimal(whole * kScale);
  }
  static constexpr Decimal FromUnits(int64_t units) { return Decimal(units); }

  // Parses a normalised number: optional sign, ASCII digits, optional '.'
  // and up to kFractionDigits digits ("-27", "+1036", "10807.1713").
  // No separators, units or spaces. Returns nullopt on anything else or on
  // overflow.
  static std::optional<Decimal> Parse(absl::string_view text);

  // Canonical text: no '+', no trailing fractional zeros, integers without
  // ".0" ("-27", "10807.1713", "0").
  std::string ToString() const;

  // Longest canonical text: sign, 19 whole digits, '.', kFractionDigits.
  static constexpr size_t kMaxChars = 1 + 19 + 1 + kFractionDigits;
  // The canonical text (as ToString) written to `buf`, which must hold
  // kMaxChars; returns its length. No allocation.
  size_t Format(char* buf) const;

  int64_t units() const { return units_; }
  bool is_integer() const { return units_ % kScale == 0; }
  bool is_negative() const { return units_ < 0; }

  // Shifts the decimal point: Scaled(-4) turns 元 into 万元 exactly when the
  // result still fits kFractionDigits; otherwise nullopt.
  std::optional<Decimal> Scaled(int power_of_ten) const;

  Decimal operator+(Decimal other) const { return Decimal(units_ + other.units_); }
  Decimal operator-(Decimal other) const { return Decimal(units_ - other.units_); }
  Decimal& operator+=(Decimal other) {
    units_ += other.units_;
    return *this;
  }
  bool operator==(Decimal other) const { return units_ == other.units_; }
  bool operator!=(Decimal other) const { return units_ != other.units_; }
  bool operator<(Decimal other) const { return units_ < other.units_; }

 private:
  constexpr explicit Decimal(int64_t units) : units_(units) {}
  int64_t units_ = 0;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_REPORT_DECIMAL_H_
