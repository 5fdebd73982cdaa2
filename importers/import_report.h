#pragma once
// What went wrong while reading a file: each problem with its byte offset (and line, for text).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace spanwise {

struct Diagnostic {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    std::uint64_t offset = 0;
    std::uint64_t line = 0;   // 1-based; 0 when the input is not text
    std::uint64_t column = 0; // 1-based, in bytes from the start of the line; 0 when the input is not text
    std::string message;
    bool skippedSpan = false; // from skipSpan(): one span was left out, not the rest of the input
};

struct ImportCancelled {};

class ImportReport {
public:
    // text: the bytes being read, when they are text, so offsets can also be given as lines.
    void setText(std::string_view text)
    {
        m_text = text;
        m_countedTo = m_linesBefore = m_lineStart = 0;
    }

    void error(std::uint64_t offset, std::string message);
    void warning(std::uint64_t offset, std::string message);
    // A span that could not be read and was left out.
    void skipSpan(std::uint64_t offset, std::string message);

    // Called by importers once per span: every few thousand spans it reports how far reading got
    // and throws ImportCancelled when the user cancelled (the loader keeps nothing then).
    void advance(std::uint64_t offset)
    {
        if (++m_sinceProgress < kProgressEvery || !onProgress)
            return;
        m_sinceProgress = 0;
        if (!onProgress(offset))
            throw ImportCancelled();
    }
    std::function<bool(std::uint64_t offset)> onProgress;
    // The same for an input read in parts on several threads (readInParts): bytes [begin, end) of
    // the input are read, and done bytes in all. Called by one thread at a time.
    std::function<bool(std::uint64_t begin, std::uint64_t end, std::uint64_t done)> onPartProgress;

    // Adds what the report of a later part of the same input holds, as if it had been reported here.
    void append(ImportReport&& part);

    std::string variant; // e.g. "zipkin-v1", "json-lines", "length-prefixed"
    std::uint64_t skippedSpans = 0;
    std::uint64_t inputErrors = 0; // calls of error(): the input as a whole is damaged (not one span)
    std::vector<Diagnostic> diagnostics;

    bool hasErrors() const;

private:
    void add(Diagnostic::Severity severity, std::uint64_t offset, std::string message);
    void locate(Diagnostic& d);
    static constexpr std::uint32_t kProgressEvery = 4096;
    std::string_view m_text;
    std::uint32_t m_sinceProgress = 0;
    std::uint64_t m_countedTo = 0;   // lines are counted up to this offset
    std::uint64_t m_linesBefore = 0; // newlines before it
    std::uint64_t m_lineStart = 0;   // offset of the line it is on
};

} // namespace spanwise
