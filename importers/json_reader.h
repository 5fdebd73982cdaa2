#pragma once
// The reader core the JSON importers build on: where a value lies in the input (ImportReport turns
// the offset into a line), the first problem of what is being read with one message shape,
// "<field>: expected <what>, found <excerpt>", arrays with null as empty, strings and hex ids, key
// dispatch by table, and the cut-off marks of a truncated file read again (readRecoveringTruncation).
// An importer's reader derives from it and keeps only its format's mapping.

#include "json_support.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanwise::json {

// Why what is being read (a span, a process) cannot be used, and where.
struct Problem {
    std::uint64_t offset = 0;
    std::string message;
};

// A value as a message shows it: its JSON text, cut at 40 bytes (whole UTF-8 characters), or "an
// object" / "an array".
std::string excerpt(std::string_view token);
bool isNull(od::value& value);
// "<field>: expected <expected>, found <excerpt of the value>": the one shape of a message about a value.
std::string expectedMessage(od::value& value, std::string_view field, std::string_view expected);

class ReaderCore {
public:
    ReaderCore(DatasetBuilder& builder, ImportReport& report) : m_builder(builder), m_report(&report) {}

    // Where problems go: the file's report, or (X-Ray) the report of a document embedded in it.
    ImportReport& report() { return *m_report; }
    void setReport(ImportReport& report) { m_report = &report; }

    // The text being read: the input, or the closed copy of a truncated input's start.
    void setInput(const Input& input) { m_input = input; }
    const Input& input() const { return m_input; }
    // Offsets of the objects and arrays closed at the cut of a truncated input (closeTruncated).
    void setCutOff(std::vector<std::uint64_t> openAtCut) { m_cutOff = std::move(openAtCut); }
    std::vector<std::uint64_t> takeCutOff() { return std::exchange(m_cutOff, {}); }
    bool isCutOff(std::uint64_t offset) const { return std::binary_search(m_cutOff.begin(), m_cutOff.end(), offset); }

    std::uint64_t offsetOf(const char* at) const { return json::offsetOf(m_input, at); }
    std::uint64_t offsetOf(od::value& value) const { return offsetOf(value.raw_json_token().data()); }

    // Notes the first problem of what is being read; always false, so readers can `return fail(...)`.
    bool fail(std::uint64_t offset, std::string message);
    // "<field>: expected <expected>, found <excerpt of the value>".
    bool fail(od::value& value, std::string_view field, std::string_view expected);
    // "<field>: missing", at the object that lacks it.
    bool missing(std::uint64_t offset, std::string_view field)
    {
        return fail(offset, std::string(field) + ": missing");
    }
    bool missing(od::value& object, std::string_view field) { return missing(offsetOf(object), field); }
    bool hasProblem() const { return m_problem.has_value(); }
    void clearProblem() { m_problem.reset(); }
    // The noted problem, which is then forgotten.
    Problem takeProblem();
    // Reports the noted problem as an error, its message followed by consequence (nothing without a
    // problem); or as the reason the span it spoils is skipped.
    void reportProblem(std::string_view consequence = {});
    void skipSpanWithProblem();

    // Calls readElement(element) for each element of an array until it returns false; null is an
    // empty array, anything else a problem.
    template <typename ReadElement>
    bool forEachElement(od::value value, std::string_view field, ReadElement&& readElement);
    bool readString(od::value value, std::string_view field, std::string_view& out);
    // A string interned, or null, which leaves out untouched; present (when given) tells which.
    bool readString(od::value value, std::string_view field, StringId& out, bool* present = nullptr);
    // 1 to 16 hex digits; an empty string is 0 (no id).
    bool readSpanId(od::value value, std::string_view field, SpanId& out, bool nullAllowed = false);
    // 1 to 32 hex digits, not all zero. The spans of a trace mostly come together: the last id read
    // is remembered, so a repeat is not parsed again.
    bool readTraceId(od::value value, std::string_view field, TraceId& out);

protected:
    DatasetBuilder& m_builder;

private:
    ImportReport* m_report;
    Input m_input;
    std::vector<std::uint64_t> m_cutOff;
    std::optional<Problem> m_problem;
    std::string m_lastTraceIdText; // a copy: simdjson reuses its string buffer for the next document
    TraceId m_lastTraceId;
};

template <typename ReadElement>
bool ReaderCore::forEachElement(od::value value, std::string_view field, ReadElement&& readElement)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS)
        return isNull(value) || fail(value, field, "an array");
    for (od::value element : array) {
        if (!readElement(element))
            return false;
    }
    return true;
}

// A member name matched on the raw JSON text of keys: a key is followed by its closing quote and, in
// the padded input, by at least eight readable bytes, so comparing the first eight characters as one
// word needs no length and no copy. Only keys written with escapes take the slow way.
class KeyPattern {
public:
    constexpr KeyPattern(const char* name) : KeyPattern(std::string_view(name)) {}
    constexpr KeyPattern(std::string_view name)
        : m_name(name), m_prefix(prefixWord(name)), m_mask(name.size() >= 8 ? ~0ull : (1ull << (8 * name.size())) - 1)
    {
    }
    std::string_view name() const { return m_name; }
    // raw: the key's text after its opening quote; word: its first eight bytes (rawKeyWord).
    bool matches(const char* raw, std::uint64_t word) const
    {
        const std::size_t size = m_name.size();
        return (word & m_mask) == m_prefix && raw[size] == '"' &&
               (size <= 8 || std::memcmp(raw + 8, m_name.data() + 8, size - 8) == 0);
    }

private:
    // The first (up to) eight characters of a name as one little-endian word.
    static constexpr std::uint64_t prefixWord(std::string_view text)
    {
        std::uint64_t word = 0;
        for (std::size_t i = 0; i < text.size() && i < 8; ++i)
            word |= std::uint64_t(static_cast<unsigned char>(text[i])) << (8 * i);
        return word;
    }
    std::string_view m_name;
    std::uint64_t m_prefix;
    std::uint64_t m_mask;
};

inline std::uint64_t rawKeyWord(const char* raw)
{
    std::uint64_t word = 0;
    std::memcpy(&word, raw, sizeof word);
    if constexpr (std::endian::native == std::endian::big)
        word = __builtin_bswap64(word);
    return word;
}

// The index of the entry (anything with a KeyPattern `key`) naming the field's key, or N for none.
// `name`, when given, is set to the key. A key with escapes is unescaped here, which simdjson allows
// once: the caller must not ask the field for its key again.
template <typename Entry, std::size_t N>
std::size_t findKey(const Entry (&table)[N], od::field& field, std::string_view* name = nullptr)
{
    const char* raw = field.key().raw();
    const std::uint64_t word = rawKeyWord(raw);
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i].key.matches(raw, word)) {
            if (name)
                *name = table[i].key.name();
            return i;
        }
    }
    const char* end = raw;
    while (*end != '"' && *end != '\\')
        ++end;
    const bool escaped = *end == '\\';
    const std::string_view key = escaped ? field.unescaped_key().value()
                                         : std::string_view(raw, static_cast<std::size_t>(end - raw));
    if (name)
        *name = key;
    for (std::size_t i = 0; escaped && i < N; ++i) {
        if (table[i].key.name() == key)
            return i;
    }
    return N;
}

// Key dispatch by table: a reader lists its fields once, each with the function reading it.
template <typename Target>
struct Field {
    KeyPattern key;
    bool (*read)(Target& target, od::value value);
};

// Reads the field's value with the table's function for its key: what that returns, or nullopt for
// a key the table does not hold (the value is then still unread). key, when given, is set as by findKey.
template <typename Target, std::size_t N>
std::optional<bool> readField(const Field<Target> (&table)[N], Target& target, od::field& field,
                              std::string_view* key = nullptr)
{
    const std::size_t i = findKey(table, field, key);
    if (i == N)
        return std::nullopt;
    return table[i].read(target, field.value());
}

} // namespace spanwise::json
