#include "json_support.h"

#include "ids.h"

#include <cmath>
#include <string>
#include <vector>

namespace spanwise::json {

char firstSignificantChar(std::string_view text)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return c;
    }
    return 0;
}

bool isBlank(std::string_view text)
{
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool hasKey(std::string_view text, std::string_view quotedKey)
{
    for (std::size_t at = text.find(quotedKey); at != std::string_view::npos; at = text.find(quotedKey, at + 1)) {
        const std::size_t next = text.find_first_not_of(" \t\r\n", at + quotedKey.size());
        if (next != std::string_view::npos && text[next] == ':')
            return true;
    }
    return false;
}

od::document iterate(od::parser& parser, const Input& input, std::size_t begin, std::size_t end)
{
    // The input keeps kInputPadding readable bytes after its end, and text after `end` is
    // readable too, so simdjson may look past `end` without leaving the buffer.
    const std::size_t capacity = input.size - begin + kInputPadding;
    return parser.iterate(input.data + begin, end - begin, capacity);
}

simdjson::error_code start(od::parser& parser, const Input& input, std::size_t begin, std::size_t end,
                           od::document& doc)
{
    try {
        doc = iterate(parser, input, begin, end);
        return simdjson::SUCCESS;
    } catch (const simdjson::simdjson_error& e) {
        return e.error();
    }
}

bool startObject(od::parser& parser, const Input& input, std::size_t begin, std::size_t end, od::document& doc,
                 od::object& object)
{
    return start(parser, input, begin, end, doc) == simdjson::SUCCESS &&
           doc.get_object().get(object) == simdjson::SUCCESS;
}

std::optional<ClosedJson> closeTruncated(std::string_view text)
{
    std::vector<std::uint64_t> open;
    std::size_t cut = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            open.push_back(i);
            cut = i + 1;
            break;
        case '}':
        case ']':
            if (open.empty() || text[open.back()] != (c == '}' ? '{' : '['))
                return std::nullopt;
            open.pop_back();
            cut = i + 1;
            break;
        case ',':
            cut = i;
            break;
        }
    }
    if (open.empty())
        return std::nullopt;
    // No bracket follows the cut, so what is open at the end was open at the cut.
    ClosedJson closed;
    closed.bytes.reserve(cut + open.size() + kInputPadding);
    closed.bytes.append(text.substr(0, cut));
    for (auto it = open.rbegin(); it != open.rend(); ++it)
        closed.bytes.push_back(text[*it] == '{' ? '}' : ']');
    closed.bytes.append(kInputPadding, '\0');
    closed.openAtCut = std::move(open);
    return closed;
}

std::uint64_t currentOffset(const Input& input, od::document& doc)
{
    const char* position = nullptr;
    if (doc.current_location().get(position) != simdjson::SUCCESS)
        return input.size;
    return offsetOf(input, position);
}

bool readGuarded(const Input& input, od::document& doc, ImportReport& report, std::string_view what,
                 const std::function<void(od::document&)>& body)
{
    try {
        body(doc);
        return true;
    } catch (const simdjson::simdjson_error& e) {
        std::string reason;
        switch (e.error()) {
        case simdjson::INCORRECT_TYPE:
            reason = "a value of the wrong type";
            break;
        case simdjson::TAPE_ERROR:
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
            reason = "unterminated or malformed JSON";
            break;
        case simdjson::NUMBER_ERROR:
            reason = "a malformed or out-of-range number";
            break;
        case simdjson::UNCLOSED_STRING:
        case simdjson::STRING_ERROR:
            reason = "a malformed string";
            break;
        case simdjson::UTF8_ERROR:
            reason = "invalid UTF-8";
            break;
        case simdjson::CAPACITY:
            reason = "a document larger than 4 GiB";
            break;
        case simdjson::DEPTH_ERROR:
            reason = "nesting deeper than 1024 levels";
            break;
        default:
            reason = e.what();
        }
        report.error(currentOffset(input, doc),
                     "expected " + std::string(what) + ", found " + reason + "; reading stopped here");
        return false;
    }
}

std::optional<std::int64_t> int64Of(od::value value)
{
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS)
        return std::nullopt;
    if (type == od::json_type::number) {
        std::int64_t v;
        if (value.get_int64().get(v) == simdjson::SUCCESS)
            return v;
        return std::nullopt;
    }
    if (type == od::json_type::string) {
        std::string_view s;
        if (value.get_string().get(s) == simdjson::SUCCESS)
            return parseInt64(s);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> uint64Of(od::value value)
{
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS)
        return std::nullopt;
    if (type == od::json_type::number) {
        std::uint64_t v;
        if (value.get_uint64().get(v) == simdjson::SUCCESS)
            return v;
        return std::nullopt;
    }
    if (type == od::json_type::string) {
        std::string_view s;
        if (value.get_string().get(s) == simdjson::SUCCESS)
            return parseUint64(s);
    }
    return std::nullopt;
}

std::optional<double> doubleOf(od::value value)
{
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS)
        return std::nullopt;
    if (type == od::json_type::number) {
        double v;
        if (value.get_double().get(v) == simdjson::SUCCESS)
            return v;
        return std::nullopt;
    }
    if (type != od::json_type::string)
        return std::nullopt;
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS)
        return std::nullopt;
    if (s == "NaN")
        return std::nan("");
    if (s == "Infinity" || s == "+Infinity")
        return HUGE_VAL;
    if (s == "-Infinity")
        return -HUGE_VAL;
    try {
        std::size_t used = 0;
        const double v = std::stod(std::string(s), &used);
        return used == s.size() ? std::optional<double>(v) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::string_view> stringOf(od::value value)
{
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS)
        return std::nullopt;
    return s;
}

std::optional<bool> boolOf(od::value value)
{
    bool b;
    if (value.get_bool().get(b) != simdjson::SUCCESS)
        return std::nullopt;
    return b;
}

thread_local std::int32_t EnclosingDepth::t_depth = 0;

Value plainValue(od::value value, DatasetBuilder& builder)
{
    // On-Demand does not enforce its depth limit in release builds, so the recursion does.
    if (EnclosingDepth::inFile(value) > static_cast<std::int32_t>(simdjson::DEFAULT_MAX_DEPTH))
        throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
    switch (value.type().value()) {
    case od::json_type::string:
        return Value::string(builder.intern(value.get_string().value()));
    case od::json_type::boolean:
        return Value::boolean(value.get_bool().value());
    case od::json_type::number: {
        od::number n = value.get_number().value();
        if (n.is_int64())
            return Value::integer(n.get_int64());
        return Value::real(n.as_double());
    }
    case od::json_type::array: {
        std::vector<Attribute> elements;
        for (od::value element : value.get_array())
            elements.push_back({0, plainValue(element, builder)});
        return Value::array(builder.appendAttributes(elements));
    }
    case od::json_type::object: {
        std::vector<Attribute> entries;
        for (od::field field : value.get_object()) {
            const StringId key = builder.intern(field.unescaped_key().value());
            entries.push_back({key, plainValue(field.value(), builder)});
        }
        return Value::keyValueList(builder.appendAttributes(entries));
    }
    case od::json_type::null:
        break;
    }
    return {};
}

} // namespace spanwise::json
