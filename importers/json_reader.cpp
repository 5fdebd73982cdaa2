#include "json_reader.h"

#include "ids.h"

namespace spanwise::json {

namespace {

// simdjson's raw token of a value runs up to the next token, whitespace included.
std::size_t significantEnd(std::string_view token)
{
    return token.find_last_not_of(" \t\r\n") + 1; // 0 when blank
}

} // namespace

std::string excerpt(std::string_view token)
{
    constexpr std::size_t kMax = 40;
    token = token.substr(0, significantEnd(token));
    if (token.starts_with('{'))
        return "an object";
    if (token.starts_with('['))
        return "an array";
    if (token.size() <= kMax)
        return std::string(token);
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(token[cut]) & 0xC0) == 0x80)
        --cut; // keep whole UTF-8 characters
    return std::string(token.substr(0, cut)) + "…";
}

bool isNull(od::value& value)
{
    bool null = false;
    return value.is_null().get(null) == simdjson::SUCCESS && null;
}

bool ReaderCore::fail(std::uint64_t offset, std::string message)
{
    if (!m_problem)
        m_problem = Problem{offset, std::move(message)};
    return false;
}

std::string expectedMessage(od::value& value, std::string_view field, std::string_view expected)
{
    return std::string(field) + ": expected " + std::string(expected) + ", found " + excerpt(value.raw_json_token());
}

bool ReaderCore::fail(od::value& value, std::string_view field, std::string_view expected)
{
    if (m_problem)
        return false;
    return fail(offsetOf(value), expectedMessage(value, field, expected));
}

Problem ReaderCore::takeProblem()
{
    Problem problem = m_problem.value_or(Problem{});
    m_problem.reset();
    return problem;
}

void ReaderCore::reportProblem(std::string_view consequence)
{
    if (!m_problem)
        return;
    Problem problem = takeProblem();
    report().error(problem.offset, problem.message + std::string(consequence));
}

void ReaderCore::skipSpanWithProblem()
{
    Problem problem = takeProblem();
    report().skipSpan(problem.offset, std::move(problem.message));
}

bool ReaderCore::readString(od::value value, std::string_view field, std::string_view& out)
{
    return value.get_string().get(out) == simdjson::SUCCESS || fail(value, field, "a string");
}

bool ReaderCore::readString(od::value value, std::string_view field, StringId& out, bool* present)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return isNull(value) || fail(value, field, "a string");
    out = m_builder.intern(text);
    if (present)
        *present = true;
    return true;
}

bool ReaderCore::readSpanId(od::value value, std::string_view field, SpanId& out, bool nullAllowed)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return (nullAllowed && isNull(value)) || fail(value, field, "a string of 1 to 16 hex digits");
    const std::optional<SpanId> id = text.empty() ? SpanId(0) : parseHexSpanId(text);
    if (!id)
        return fail(value, field, "1 to 16 hex digits");
    out = *id;
    return true;
}

bool ReaderCore::readTraceId(od::value value, std::string_view field, TraceId& out)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return fail(value, field, "a string of 1 to 32 hex digits");
    if (text == m_lastTraceIdText && !text.empty()) {
        out = m_lastTraceId;
        return true;
    }
    const std::optional<TraceId> id = parseHexTraceId(text);
    if (!id || id->isZero())
        return fail(value, field, "1 to 32 hex digits, not all zero");
    out = m_lastTraceId = *id;
    m_lastTraceIdText.assign(text);
    return true;
}

} // namespace spanwise::json
