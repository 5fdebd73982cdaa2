#include "ids.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace spanwise {

namespace {

int base64Digit(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

std::uint64_t bigEndian(std::string_view bytes)
{
    std::uint64_t v = 0;
    for (unsigned char c : bytes)
        v = v << 8 | c;
    return v;
}

} // namespace

std::optional<TraceId> traceIdFromBytes(std::string_view bytes)
{
    if (bytes.size() > 16)
        return std::nullopt;
    const std::size_t split = bytes.size() > 8 ? bytes.size() - 8 : 0;
    return TraceId{bigEndian(bytes.substr(0, split)), bigEndian(bytes.substr(split))};
}

std::optional<SpanId> spanIdFromBytes(std::string_view bytes)
{
    if (bytes.size() > 8)
        return std::nullopt;
    return bigEndian(bytes);
}

std::optional<std::string> decodeBase64(std::string_view text)
{
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int d = base64Digit(c);
        if (d < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::optional<std::int64_t> parseInt64(std::string_view text)
{
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::optional<std::uint64_t> parseUint64(std::string_view text)
{
    if (text.empty() || text.front() == '-' || text.front() == '+')
        return std::nullopt;
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

namespace {

// Up to ten integer digits below 9e9 and one to nine fraction digits (1767225600.000470): how
// every X-Ray time is written, read without the general form's digit buffer.
std::optional<std::int64_t> shortDecimalSecondsToNanos(std::string_view text)
{
    const auto digit = [](char c) { return static_cast<unsigned>(c - '0'); };
    std::size_t i = 0;
    std::uint64_t seconds = 0;
    for (; i < text.size() && i <= 10 && digit(text[i]) < 10; ++i)
        seconds = seconds * 10 + digit(text[i]);
    const std::size_t fractionDigits = text.size() - i - 1;
    if (i == 0 || i > 10 || seconds >= 9'000'000'000 || i == text.size() || text[i] != '.' || fractionDigits == 0 ||
        fractionDigits > 9)
        return std::nullopt;
    std::uint64_t fraction = 0;
    for (++i; i < text.size(); ++i) {
        if (digit(text[i]) >= 10)
            return std::nullopt;
        fraction = fraction * 10 + digit(text[i]);
    }
    for (std::size_t d = fractionDigits; d < 9; ++d)
        fraction *= 10;
    return static_cast<std::int64_t>(seconds * 1'000'000'000 + fraction);
}

} // namespace

std::optional<std::int64_t> decimalSecondsToNanos(std::string_view text)
{
    if (const std::optional<std::int64_t> ns = shortDecimalSecondsToNanos(text))
        return ns;
    bool negative = false;
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
    }
    // The mantissa's significant digits (those past the 20th never reach the result), how many
    // there are, and where the decimal point stands among them.
    constexpr std::int64_t kKept = 21;
    char digits[kKept];
    std::int64_t count = 0;
    std::int64_t pointAt = -1;
    bool anyDigit = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            anyDigit = true;
            if (count == 0 && c == '0' && pointAt < 0)
                continue; // leading zeros of the integer part
            if (count < kKept)
                digits[count] = c;
            ++count;
        } else if (c == '.' && pointAt < 0) {
            pointAt = count;
        } else {
            break;
        }
    }
    if (!anyDigit)
        return std::nullopt;
    if (pointAt < 0)
        pointAt = count;
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        std::string_view rest = text.substr(i + 1);
        if (!rest.empty() && rest.front() == '+')
            rest.remove_prefix(1);
        const auto e = parseInt64(rest);
        if (!e || *e > 1000 || *e < -1000)
            return std::nullopt;
        exponent = *e;
        i = text.size();
    }
    if (i != text.size())
        return std::nullopt;
    // The value is 0.digits * 10^(pointAt + exponent) seconds; keep the digits down to nanoseconds.
    const std::int64_t integerDigits = pointAt + exponent + 9;
    if (integerDigits > 19)
        return count == 0 ? std::optional<std::int64_t>(0) : std::nullopt;
    std::uint64_t ns = 0;
    for (std::int64_t d = 0; d < integerDigits; ++d) {
        const std::uint64_t digit = d < count ? static_cast<std::uint64_t>(digits[d] - '0') : 0;
        if (__builtin_mul_overflow(ns, 10u, &ns) || __builtin_add_overflow(ns, digit, &ns))
            return std::nullopt;
    }
    const std::int64_t next = std::max<std::int64_t>(integerDigits, 0);
    if (next < count && next < kKept && digits[next] >= '5')
        ++ns;
    if (ns > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
    const auto value = static_cast<std::int64_t>(ns);
    return negative ? -value : value;
}

std::optional<std::int64_t> scaleChecked(std::int64_t value, std::int64_t factor)
{
    std::int64_t out = 0;
    if (__builtin_mul_overflow(value, factor, &out))
        return std::nullopt;
    return out;
}

} // namespace spanwise
