#include "annotations.h"

#include "hex_ids.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace spanwise {

namespace {

using nlohmann::json;

constexpr std::string_view kKindNames[] = {"span-note", "range-note", "highlight"};

std::string lineAndColumn(std::string_view text, std::size_t byte)
{
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < std::min(byte, text.size()); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

[[noreturn]] void fail(const std::string& where, const std::string& what)
{
    throw AnnotationFormatError(where + ": " + what);
}

const json& member(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(where, std::string("missing \"") + key + "\"");
    return *it;
}

std::string stringMember(const json& object, const char* key, const std::string& where)
{
    const json& value = member(object, key, where);
    if (!value.is_string())
        fail(where + "." + key, std::string("expected a string, found ") + value.type_name());
    return value.get<std::string>();
}

TimeNs timeMember(const json& object, const char* key, const std::string& where)
{
    const json& value = member(object, key, where);
    if (value.is_number_unsigned()) {
        if (value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<TimeNs>(value.get<std::uint64_t>());
    } else if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    fail(where + "." + key, std::string("expected integer nanoseconds since the Unix epoch, found ") +
                                (value.is_number() ? "a number out of range or with a fraction" : value.type_name()));
}

Annotation parseAnnotation(const json& item, const std::string& where)
{
    if (!item.is_object())
        fail(where, std::string("expected an object, found ") + item.type_name());
    Annotation a;
    const std::string kind = stringMember(item, "kind", where);
    const auto found = std::find(std::begin(kKindNames), std::end(kKindNames), kind);
    if (found == std::end(kKindNames))
        fail(where + ".kind", "unknown kind \"" + kind + "\" (expected span-note, range-note or highlight)");
    a.kind = static_cast<AnnotationKind>(found - std::begin(kKindNames));
    std::vector<const char*> allowed = {"kind", "traceId"};
    const auto trace = parseTraceIdHex(stringMember(item, "traceId", where));
    if (!trace)
        fail(where + ".traceId", "expected 32 (or 16) hex digits, not all zero");
    a.trace = *trace;
    if (a.kind == AnnotationKind::SpanNote || a.kind == AnnotationKind::Highlight) {
        const auto span = parseSpanIdHex(stringMember(item, "spanId", where));
        if (!span)
            fail(where + ".spanId", "expected 16 hex digits, not all zero");
        a.span = *span;
        allowed.push_back("spanId");
    }
    if (a.kind == AnnotationKind::RangeNote) {
        a.start = timeMember(item, "startUnixNano", where);
        a.end = timeMember(item, "endUnixNano", where);
        if (a.end < a.start)
            fail(where, "endUnixNano is before startUnixNano");
        allowed.insert(allowed.end(), {"startUnixNano", "endUnixNano"});
    }
    if (a.kind == AnnotationKind::Highlight) {
        const auto color = parseColor(stringMember(item, "color", where));
        if (!color)
            fail(where + ".color", "expected a colour as #rrggbb");
        a.color = *color;
        allowed.push_back("color");
    } else {
        a.text = stringMember(item, "text", where);
        allowed.push_back("text");
    }
    for (const auto& member : item.items()) {
        const std::string& key = member.key(); // a structured binding: lambdas cannot capture it in clang 14
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; }))
            fail(where, "unexpected \"" + key + "\" in a " + kind);
    }
    return a;
}

} // namespace

bool Annotation::sameAs(const Annotation& o) const
{
    return kind == o.kind && trace == o.trace && span == o.span && start == o.start && end == o.end && text == o.text &&
           color == o.color;
}

const char* toString(AnnotationKind kind)
{
    return kKindNames[static_cast<int>(kind)].data();
}

std::uint64_t AnnotationDocument::insert(Annotation annotation, std::size_t position)
{
    if (annotation.id == 0 || find(annotation.id))
        annotation.id = m_nextId;
    m_nextId = std::max(m_nextId, annotation.id + 1);
    const std::uint64_t id = annotation.id;
    m_items.insert(m_items.begin() + static_cast<std::ptrdiff_t>(std::min(position, m_items.size())),
                   std::move(annotation));
    return id;
}

bool AnnotationDocument::remove(std::uint64_t id)
{
    const auto index = indexOf(id);
    if (!index)
        return false;
    m_items.erase(m_items.begin() + static_cast<std::ptrdiff_t>(*index));
    return true;
}

std::optional<std::size_t> AnnotationDocument::indexOf(std::uint64_t id) const
{
    const auto it = std::find_if(m_items.begin(), m_items.end(), [id](const Annotation& a) { return a.id == id; });
    if (it == m_items.end())
        return std::nullopt;
    return static_cast<std::size_t>(it - m_items.begin());
}

const Annotation* AnnotationDocument::find(std::uint64_t id) const
{
    const auto index = indexOf(id);
    return index ? &m_items[*index] : nullptr;
}

Annotation* AnnotationDocument::find(std::uint64_t id)
{
    const auto index = indexOf(id);
    return index ? &m_items[*index] : nullptr;
}

const Annotation* AnnotationDocument::highlightOf(const TraceId& trace, SpanId span) const
{
    for (const Annotation& a : m_items) {
        if (a.kind == AnnotationKind::Highlight && a.trace == trace && a.span == span)
            return &a;
    }
    return nullptr;
}

bool AnnotationDocument::contains(const Annotation& content) const
{
    return std::any_of(m_items.begin(), m_items.end(), [&](const Annotation& a) { return a.sameAs(content); });
}

TraceAnnotations indexAnnotations(const AnnotationDocument& document, const TraceId& trace)
{
    TraceAnnotations index;
    for (const Annotation& a : document.items()) {
        if (a.trace != trace)
            continue;
        switch (a.kind) {
        case AnnotationKind::SpanNote:
            index.notes[a.span].push_back(&a);
            break;
        case AnnotationKind::RangeNote:
            index.ranges.push_back(&a);
            break;
        case AnnotationKind::Highlight:
            index.highlights[a.span] = a.color;
            break;
        }
    }
    std::stable_sort(index.ranges.begin(), index.ranges.end(),
                     [](const Annotation* a, const Annotation* b) { return a->start < b->start; });
    return index;
}

std::string annotationsToJson(const AnnotationDocument& document)
{
    json items = json::array();
    for (const Annotation& a : document.items()) {
        json item = {{"kind", toString(a.kind)}, {"traceId", toHex(a.trace)}};
        if (a.kind != AnnotationKind::RangeNote)
            item["spanId"] = toHex(a.span);
        if (a.kind == AnnotationKind::RangeNote) {
            item["startUnixNano"] = a.start;
            item["endUnixNano"] = a.end;
        }
        if (a.kind == AnnotationKind::Highlight)
            item["color"] = formatColor(a.color);
        else
            item["text"] = a.text;
        items.push_back(std::move(item));
    }
    const json root = {
        {"format", kAnnotationFormat}, {"version", kAnnotationFormatVersion}, {"annotations", std::move(items)}};
    return root.dump(2) + "\n";
}

AnnotationDocument annotationsFromJson(std::string_view text, bool* foreign)
{
    if (foreign)
        *foreign = false;
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        // e.what() repeats the byte offset in its own words; say it as a line and column.
        std::string reason = e.what();
        if (const auto colon = reason.rfind(": "); colon != std::string::npos)
            reason = reason.substr(colon + 2);
        throw AnnotationFormatError(lineAndColumn(text, e.byte == 0 ? 0 : e.byte - 1) + ": not valid JSON (" + reason +
                                    ")");
    }
    const auto format = root.is_object() ? root.find("format") : root.end();
    if (!root.is_object() || format == root.end() || !format->is_string() ||
        format->get<std::string>() != kAnnotationFormat) {
        if (foreign)
            *foreign = true;
        throw AnnotationFormatError(std::string("not a Spanwise annotation file (no \"format\": \"") +
                                    std::string(kAnnotationFormat) + "\")");
    }
    const json& version = member(root, "version", "document");
    if (!version.is_number_integer())
        fail("version", std::string("expected an integer, found ") + version.type_name());
    if (version.get<std::int64_t>() != kAnnotationFormatVersion)
        fail("version", "version " + version.dump() + " is not one this Spanwise reads (" +
                            std::to_string(kAnnotationFormatVersion) + "); a newer Spanwise may");
    const json& items = member(root, "annotations", "document");
    if (!items.is_array())
        fail("annotations", std::string("expected an array, found ") + items.type_name());
    for (const auto& [key, value] : root.items()) {
        if (key != "format" && key != "version" && key != "annotations")
            fail("document", "unexpected \"" + key + "\"");
    }
    AnnotationDocument document;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string where = "annotations[" + std::to_string(i) + "]";
        Annotation a = parseAnnotation(items[i], where);
        if (a.kind == AnnotationKind::Highlight && document.highlightOf(a.trace, a.span))
            fail(where, "span " + toHex(a.span) + " is highlighted twice");
        document.insert(std::move(a));
    }
    return document;
}

std::string formatColor(std::uint32_t rgb)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text = "#";
    for (int shift = 20; shift >= 0; shift -= 4)
        text += kDigits[(rgb >> shift) & 0xf];
    return text;
}

std::optional<std::uint32_t> parseColor(std::string_view text)
{
    if (text.size() != 7 || text[0] != '#')
        return std::nullopt;
    const auto value = parseHex64(text.substr(1));
    if (!value)
        return std::nullopt;
    return static_cast<std::uint32_t>(*value);
}

std::optional<TraceId> parseTraceIdHex(std::string_view hex)
{
    if (hex.size() != 32 && hex.size() != 16)
        return std::nullopt;
    const auto id = parseHexTraceId(hex);
    if (!id || id->isZero())
        return std::nullopt;
    return id;
}

std::optional<SpanId> parseSpanIdHex(std::string_view hex)
{
    if (hex.size() != 16)
        return std::nullopt;
    const auto id = parseHex64(hex);
    if (!id || *id == 0)
        return std::nullopt;
    return id;
}

} // namespace spanwise
