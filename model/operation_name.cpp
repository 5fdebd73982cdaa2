#include "operation_name.h"

namespace spanwise {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isWordChar(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isEmailLocalChar(char c)
{
    return isWordChar(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

// True when `text` from `at` matches `pattern`, where 'h' is a hex digit, 'd' a decimal digit and
// any other character itself.
bool matchesPattern(std::string_view text, std::size_t at, std::string_view pattern)
{
    if (text.size() - at < pattern.size())
        return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = text[at + i];
        const char p = pattern[i];
        if (p == 'h' ? !isHex(c) : p == 'd' ? !isDigit(c) : c != p)
            return false;
    }
    return true;
}

bool endsWord(std::string_view text, std::size_t end)
{
    return end == text.size() || !isWordChar(text[end]);
}

// Length of an e-mail address starting at `at` (its local part begins there), 0 when there is none.
std::size_t emailLength(std::string_view text, std::size_t at)
{
    std::size_t i = at;
    while (i < text.size() && isEmailLocalChar(text[i]))
        ++i;
    if (i == at || i == text.size() || text[i] != '@')
        return 0;
    std::size_t labels = 0;
    std::size_t end = ++i;
    for (;;) { // domain labels separated by dots; at least two
        const std::size_t labelStart = i;
        while (i < text.size() && (isWordChar(text[i]) || text[i] == '-'))
            ++i;
        if (i == labelStart)
            break;
        ++labels;
        end = i;
        if (i == text.size() || text[i] != '.')
            break;
        ++i;
    }
    return labels >= 2 ? end - at : 0;
}

} // namespace

std::string normaliseOperationName(std::string_view name, unsigned* applied)
{
    std::string out;
    out.reserve(name.size());
    unsigned used = 0;
    std::size_t i = 0;
    while (i < name.size()) {
        const bool wordStart = isWordChar(name[i]) && (i == 0 || !isWordChar(name[i - 1]));
        const bool emailStart = isWordChar(name[i]) && (i == 0 || !isEmailLocalChar(name[i - 1]));
        if (!wordStart && !emailStart) {
            out += name[i++];
            continue;
        }
        auto replace = [&](std::size_t length, const char* placeholder, Normalisation kind) {
            out += placeholder;
            used |= kind;
            i += length;
        };
        if (wordStart && matchesPattern(name, i, "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh") && endsWord(name, i + 36)) {
            replace(36, "{uuid}", NormalisedUuid);
            continue;
        }
        if (wordStart && matchesPattern(name, i, "dddd-dd-dd") && endsWord(name, i + 10)) {
            replace(10, "{date}", NormalisedDate);
            continue;
        }
        if (emailStart) {
            if (const std::size_t length = emailLength(name, i)) {
                replace(length, "{email}", NormalisedEmail);
                continue;
            }
        }
        if (!wordStart) {
            out += name[i++];
            continue;
        }
        std::size_t end = i;
        bool allDigits = true;
        bool allHex = true;
        bool anyDigit = false;
        for (; end < name.size() && isWordChar(name[end]); ++end) {
            allDigits = allDigits && isDigit(name[end]);
            allHex = allHex && isHex(name[end]);
            anyDigit = anyDigit || isDigit(name[end]);
        }
        if (allDigits)
            replace(end - i, "{n}", NormalisedNumber);
        else if (allHex && anyDigit && end - i >= 8)
            replace(end - i, "{hex}", NormalisedHexId);
        else {
            out.append(name.substr(i, end - i));
            i = end;
        }
    }
    if (applied)
        *applied |= used;
    return out;
}

std::vector<std::string> normalisationNames(unsigned applied)
{
    static const std::pair<Normalisation, const char*> names[] = {{NormalisedUuid, "uuids"},
                                                                  {NormalisedDate, "dates"},
                                                                  {NormalisedEmail, "emails"},
                                                                  {NormalisedHexId, "hex ids"},
                                                                  {NormalisedNumber, "numbers"}};
    std::vector<std::string> result;
    for (const auto& [kind, name] : names) {
        if (applied & kind)
            result.emplace_back(name);
    }
    return result;
}

} // namespace spanwise
