#include "common/report/decimal.h"

#include <limits>

namespace gongkai {

std::optional<Decimal> Decimal::Parse(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t whole = 0;
  size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (whole > (kMax / kScale - 9) / 10) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
    ++whole_digits;
  }
  int64_t fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (fraction_digits == kFractionDigits) {
        if (text[i] != '0') return std::nullopt;  // precision would be lost
        continue;
      }
      fraction = fraction * 10 + (text[i] - '0');
      ++fraction_digits;
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (i != text.size() || whole_digits == 0) return std::nullopt;
  for (int d = fraction_digits; d < kFractionDigits; ++d) fraction *= 10;
  int64_t units = whole * kScale + fraction;
  return Decimal(negative ? -units : units);
}

size_t Decimal::Format(char* buf) const {
  uint64_t magnitude = units_ < 0 ? -static_cast<uint64_t>(units_)
                                  : static_cast<uint64_t>(units_);
  char* p = buf;
  if (units_ < 0) *p++ = '-';
  uint64_t whole = magnitude / kScale;
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  while (n > 0) *p++ = digits[--n];
  uint64_t fraction = magnitude % kScale;
  if (fraction != 0) {
    int width = kFractionDigits;
    while (fraction % 10 == 0) {  // no trailing zeros
      fraction /= 10;
      --width;
    }
    *p++ = '.';
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    p += width;
  }
  return static_cast<size_t>(p - buf);
}

std::string Decimal::ToString() const {
  char buf[kMaxChars];
  return std::string(buf, Format(buf));
}

std::optional<Decimal> Decimal::Scaled(int power_of_ten) const {
  int64_t units = units_;
  for (; power_of_ten > 0; --power_of_ten) {
    if (units > std::numeric_limits<int64_t>::max() / 10 ||
        units < std::numeric_limits<int64_t>::min() / 10) {
      return std::nullopt;
    }
    units *= 10;
  }
  for (; power_of_ten < 0; ++power_of_ten) {
    if (units % 10 != 0) return std::nullopt;
    units /= 10;
  }
  return Decimal(units);
}

}  // namespace gongkai
