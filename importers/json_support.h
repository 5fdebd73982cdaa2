#pragma once
// Shared pieces of the JSON importers, on top of simdjson's On-Demand API.

#include "importer.h"

#include <simdjson.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanwise::json {

namespace od = simdjson::ondemand;
static_assert(kInputPadding >= simdjson::SIMDJSON_PADDING);

// First non-whitespace character after an optional UTF-8 byte order mark, or 0.
char firstSignificantChar(std::string_view text);
// Whether text holds nothing but JSON whitespace.
bool isBlank(std::string_view text);
// Whether part stands anywhere in text (a sniffing test that does not ask for a key).
inline bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}
// Whether quotedKey ("\"name\"", quotes included) stands in text as an object key, that is
// followed by a colon: a cheap test for sniffing a file's head, which need not be valid JSON.
bool hasKey(std::string_view text, std::string_view quotedKey);

// Position of a pointer inside the input, as a byte offset.
inline std::uint64_t offsetOf(const Input& input, const char* position)
{
    if (position < input.data || position > input.data + input.size)
        return input.size;
    return static_cast<std::uint64_t>(position - input.data);
}

// A field's key without copying it: a view into the input when it holds no escape (nearly
// always), else simdjson's unescaped copy. Unlike unescaped_key(), safe to call on a key read
// before (after object.reset()).
inline std::string_view keyOf(od::field& field)
{
    const char* raw = field.key().raw();
    const char* end = raw;
    while (*end != '"' && *end != '\\')
        ++end;
    if (*end == '"')
        return {raw, static_cast<std::size_t>(end - raw)};
    return field.unescaped_key().value();
}

// Starts iterating text [begin, end) of the input as one JSON document.
od::document iterate(od::parser& parser, const Input& input, std::size_t begin, std::size_t end);
// The same without throwing: simdjson's error when it refuses the text before reading any of it.
simdjson::error_code start(od::parser& parser, const Input& input, std::size_t begin, std::size_t end,
                           od::document& doc);
// Starts iterating text [begin, end) as one JSON object, read through doc (simdjson reads a document's
// root value only through the document): false when simdjson refuses the text or it holds no object.
bool startObject(od::parser& parser, const Input& input, std::size_t begin, std::size_t end, od::document& doc,
                 od::object& object);

// A truncated text made readable: simdjson refuses text cut off inside a string or with its root
// array or object unclosed before reading any of it. The text is cut after the last complete value
// (at a comma or bracket outside strings) and the containers still open there are closed. The
// prefix is the input's, so offsets into it are offsets into the input.
struct ClosedJson {
    std::string bytes;                    // the closed text, then kInputPadding zero bytes
    std::vector<std::uint64_t> openAtCut; // offsets of the objects and arrays closed at the cut, ascending
    Input input() const { return {bytes.data(), bytes.size() - kInputPadding}; }
};
// nullopt when nothing is open at the end, or a bracket closes what it did not open.
std::optional<ClosedJson> closeTruncated(std::string_view text);

// Reads a whole input with reader.readText(input), which returns simdjson's error when simdjson
// refuses the text before reading any of it. A truncated text is then closed (closeTruncated), the
// cut reported, and read again after reader.setCutOff(offsets closed at the cut); any other
// refusal is reported as not being `what`.
template <typename Reader>
void readRecoveringTruncation(const Input& input, Reader& reader, ImportReport& report, std::string_view what)
{
    if (const simdjson::error_code error = reader.readText(input)) {
        std::optional<ClosedJson> closed = closeTruncated(input.text());
        if (!closed) {
            report.error(0, "expected " + std::string(what) + ", found " + simdjson::error_message(error));
            return;
        }
        report.error(input.size, "the input ends in the middle of the JSON (truncated?); the spans before were read");
        reader.setCutOff(std::move(closed->openAtCut));
        reader.readText(closed->input());
    }
}

// Where a document currently stands, as an offset into the input (the end when exhausted).
std::uint64_t currentOffset(const Input& input, od::document& doc);

// Runs body(doc) on the document, reporting a JSON syntax or type error that escapes it at the
// offset where reading stopped, together with what was being read. Returns false on error.
bool readGuarded(const Input& input, od::document& doc, ImportReport& report, std::string_view what,
                 const std::function<void(od::document&)>& body);

// Exact integers written as JSON numbers or as decimal strings (64-bit values exceed 2^53, so
// exporters quote them); never through a double.
std::optional<std::int64_t> int64Of(od::value value);
std::optional<std::uint64_t> uint64Of(od::value value);
// Numbers, or strings holding a number, "NaN", "Infinity" or "-Infinity".
std::optional<double> doubleOf(od::value value);
std::optional<std::string_view> stringOf(od::value value);
std::optional<bool> boolOf(od::value value);

// How deep in its file the document being read on this thread starts: a value of a big file read as
// a document of its own (reading in parts) is that much deeper in the file than simdjson counts, and
// the depth limit is the file's. Set for the scope of an object of this class.
class EnclosingDepth {
public:
    explicit EnclosingDepth(std::int32_t depth) : m_previous(std::exchange(t_depth, depth)) {}
    ~EnclosingDepth() { t_depth = m_previous; }
    EnclosingDepth(const EnclosingDepth&) = delete;
    EnclosingDepth& operator=(const EnclosingDepth&) = delete;
    // The value's depth in the file (1 for the outermost value).
    static std::int32_t inFile(od::value& value) { return value.current_depth() + t_depth; }

private:
    std::int32_t m_previous;
    static thread_local std::int32_t t_depth;
};

// Any JSON value as an attribute value: strings, booleans, integers (when exact), doubles,
// arrays and objects (as key-value lists), recursively. Null becomes Empty.
Value plainValue(od::value value, DatasetBuilder& builder);

} // namespace spanwise::json
