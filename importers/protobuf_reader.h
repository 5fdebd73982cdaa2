#pragma once
// A zero-copy reader of the protocol buffers wire format. It walks the fields of one message in
// place: payloads are views into the input, nothing is allocated whatever a length claims, and
// every problem comes with the position where it was found.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace spanwise::pb {

static_assert(std::endian::native == std::endian::little, "fixed-size fields are read with memcpy");

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

enum class Problem : std::uint8_t {
    None,
    Truncated,     // the message ends inside a tag or a value
    LongVarint,    // a varint of more than 10 bytes
    LengthPastEnd, // a length-delimited field claims more bytes than the message has left
    Group,         // wire types 3 and 4: deprecated groups, which no OTLP message uses
    BadTag,        // wire type 6 or 7, or field number 0 or above 2^29 - 1
};

struct Field {
    const char* at = nullptr; // first byte of the tag
    std::uint32_t number = 0;
    WireType type = WireType::Varint;
    std::uint64_t value = 0; // Varint, Fixed64 and Fixed32 fields
    std::string_view bytes;  // Bytes fields: the payload
};

class Reader {
public:
    explicit Reader(std::string_view message) : m_pos(message.data()), m_end(message.data() + message.size()) {}

    // Reads the next field: false at the end of the message or on a problem. After LengthPastEnd,
    // field.bytes holds the part of the payload the message has.
    bool next(Field& field)
    {
        if (m_pos == m_end)
            return false;
        field.at = m_pos;
        std::uint64_t tag;
        if (!readVarint(tag))
            return false;
        const std::uint64_t number = tag >> 3;
        if (number == 0 || number > kMaxFieldNumber)
            return fail(Problem::BadTag, field.at);
        field.number = static_cast<std::uint32_t>(number);
        field.type = static_cast<WireType>(tag & 7);
        switch (field.type) {
        case WireType::Varint:
            return readVarint(field.value);
        case WireType::Fixed64:
            return readFixed<std::uint64_t>(field.value);
        case WireType::Fixed32:
            return readFixed<std::uint32_t>(field.value);
        case WireType::Bytes:
            return readPayload(field.bytes);
        case WireType::StartGroup:
        case WireType::EndGroup:
            return fail(Problem::Group, field.at);
        }
        return fail(Problem::BadTag, field.at);
    }

    Problem problem() const { return m_problem; }
    // Where the problem is: the tag or value that is cut or invalid, the length that claims too much.
    const char* problemAt() const { return m_problemAt; }
    // LengthPastEnd: the length claimed and how many bytes were left.
    std::uint64_t claimedLength() const { return m_claimed; }
    std::uint64_t bytesLeft() const { return m_left; }

private:
    static constexpr std::uint64_t kMaxFieldNumber = (1u << 29) - 1;

    bool fail(Problem problem, const char* at)
    {
        m_problem = problem;
        m_problemAt = at;
        m_pos = m_end;
        return false;
    }

    bool readVarint(std::uint64_t& value)
    {
        if (m_pos != m_end && static_cast<unsigned char>(*m_pos) < 0x80) {
            value = static_cast<unsigned char>(*m_pos++);
            return true;
        }
        return readLongVarint(value);
    }

    bool readLongVarint(std::uint64_t& value)
    {
        const char* p = m_pos;
        std::uint64_t v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (p == m_end)
                return fail(Problem::Truncated, m_pos);
            const auto byte = static_cast<unsigned char>(*p++);
            v |= std::uint64_t(byte & 0x7f) << shift; // bits past 64 are dropped, as protobuf does
            if (byte < 0x80) {
                value = v;
                m_pos = p;
                return true;
            }
        }
        return fail(Problem::LongVarint, m_pos);
    }

    template <typename T>
    bool readFixed(std::uint64_t& value)
    {
        if (static_cast<std::size_t>(m_end - m_pos) < sizeof(T))
            return fail(Problem::Truncated, m_pos);
        T v;
        std::memcpy(&v, m_pos, sizeof v);
        m_pos += sizeof v;
        value = v;
        return true;
    }

    bool readPayload(std::string_view& payload)
    {
        const char* lengthAt = m_pos;
        std::uint64_t length;
        if (!readVarint(length))
            return false;
        const auto left = static_cast<std::uint64_t>(m_end - m_pos);
        if (length > left) {
            payload = {m_pos, static_cast<std::size_t>(left)};
            m_claimed = length;
            m_left = left;
            return fail(Problem::LengthPastEnd, lengthAt);
        }
        payload = {m_pos, static_cast<std::size_t>(length)};
        m_pos += length;
        return true;
    }

    const char* m_pos;
    const char* m_end;
    const char* m_problemAt = nullptr;
    std::uint64_t m_claimed = 0;
    std::uint64_t m_left = 0;
    Problem m_problem = Problem::None;
};

// The reader's problem in words, e.g. "a length of 4294967296 bytes, but only 12 are left".
std::string describe(const Reader& reader);

const char* toString(WireType type);

} // namespace spanwise::pb
