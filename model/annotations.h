#pragma once
// Annotations a user puts on traces: notes pinned to spans, notes on time ranges, highlight
// colours on spans. Keyed by trace id and span id, with absolute Unix-epoch times, so a document
// made on one file applies to the same trace read from any other format. Serialised as JSON
// ("spanwise-annotations", version 1); parsing validates everything or applies nothing.

#include "types.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spanwise {

enum class AnnotationKind : std::uint8_t { SpanNote, RangeNote, Highlight };

struct Annotation {
    std::uint64_t id = 0; // unique in its document, assigned when added; not saved
    AnnotationKind kind = AnnotationKind::SpanNote;
    TraceId trace;
    SpanId span = 0;           // SpanNote, Highlight
    TimeNs start = 0, end = 0; // RangeNote: absolute nanoseconds, start <= end
    std::string text;          // SpanNote, RangeNote
    std::uint32_t color = 0;   // Highlight: 0xRRGGBB

    // Same content, ignoring the id.
    bool sameAs(const Annotation& other) const;
};

const char* toString(AnnotationKind kind);

class AnnotationDocument {
public:
    const std::vector<Annotation>& items() const { return m_items; }
    bool empty() const { return m_items.empty(); }
    // Adds at `position` (the end when past it); assigns a fresh id unless the annotation has an
    // unused one (undo re-inserts with the old id). Returns the id.
    std::uint64_t insert(Annotation annotation, std::size_t position = SIZE_MAX);
    bool remove(std::uint64_t id);
    const Annotation* find(std::uint64_t id) const;
    Annotation* find(std::uint64_t id);
    std::optional<std::size_t> indexOf(std::uint64_t id) const;
    // The highlight of a span, or nullptr: a span has at most one.
    const Annotation* highlightOf(const TraceId& trace, SpanId span) const;
    bool contains(const Annotation& content) const; // one with the same content

private:
    std::vector<Annotation> m_items;
    std::uint64_t m_nextId = 1;
};

// The annotations of one trace, indexed for drawing: lookups by span id, ranges in time order.
struct TraceAnnotations {
    std::unordered_map<SpanId, std::vector<const Annotation*>> notes; // in document order
    std::unordered_map<SpanId, std::uint32_t> highlights;
    std::vector<const Annotation*> ranges; // by start
};
// Pointers into the document: valid until it changes.
TraceAnnotations indexAnnotations(const AnnotationDocument& document, const TraceId& trace);

struct AnnotationFormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kAnnotationFormat = "spanwise-annotations";
inline constexpr int kAnnotationFormatVersion = 1;

std::string annotationsToJson(const AnnotationDocument& document);
// Throws AnnotationFormatError saying where and what is wrong ("line 3, column 7: ...",
// "annotations[2].spanId: expected 16 hex digits"). `foreign` is set when the text is valid JSON
// but not an annotation document (no or another "format" tag).
AnnotationDocument annotationsFromJson(std::string_view json, bool* foreign = nullptr);

std::string formatColor(std::uint32_t rgb);                     // "#rrggbb"
std::optional<std::uint32_t> parseColor(std::string_view text); // "#rrggbb"
std::optional<TraceId> parseTraceIdHex(std::string_view hex);   // 16 or 32 hex digits, not zero
std::optional<SpanId> parseSpanIdHex(std::string_view hex);     // 16 hex digits, not zero

} // namespace spanwise
