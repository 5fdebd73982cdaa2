#pragma once
// Typed attribute values. All attributes of a dataset live in one flat array; a span, event,
// link, resource or nested array / key-value list refers to a contiguous range of it.

#include "types.h"

#include <cstring>

namespace spanwise {

struct Range {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    constexpr std::uint32_t end() const { return first + count; }
    constexpr bool empty() const { return count == 0; }
};

enum class ValueType : std::uint8_t { Empty, String, Int, Double, Bool, Bytes, Array, KeyValueList };

class Value {
public:
    constexpr Value() = default;
    static Value string(StringId s)
    {
        Value v(ValueType::String);
        v.m_bits = s;
        return v;
    }
    static Value bytes(StringId s)
    {
        Value v(ValueType::Bytes);
        v.m_bits = s;
        return v;
    }
    static Value integer(std::int64_t i)
    {
        Value v(ValueType::Int);
        v.m_bits = static_cast<std::uint64_t>(i);
        return v;
    }
    static Value boolean(bool b)
    {
        Value v(ValueType::Bool);
        v.m_bits = b;
        return v;
    }
    static Value real(double d)
    {
        Value v(ValueType::Double);
        std::memcpy(&v.m_bits, &d, sizeof d);
        return v;
    }
    // Elements of an array are attributes whose key is 0.
    static Value array(Range elements)
    {
        Value v(ValueType::Array);
        v.setRange(elements);
        return v;
    }
    static Value keyValueList(Range entries)
    {
        Value v(ValueType::KeyValueList);
        v.setRange(entries);
        return v;
    }

    ValueType type() const { return m_type; }
    StringId stringId() const { return static_cast<StringId>(m_bits); } // String and Bytes
    std::int64_t integer() const { return static_cast<std::int64_t>(m_bits); }
    bool boolean() const { return m_bits != 0; }
    double real() const
    {
        double d;
        std::memcpy(&d, &m_bits, sizeof d);
        return d;
    }
    Range range() const { return {static_cast<std::uint32_t>(m_bits), static_cast<std::uint32_t>(m_bits >> 32)}; }

private:
    explicit constexpr Value(ValueType t) : m_type(t) {}
    void setRange(Range r) { m_bits = r.first | (std::uint64_t(r.count) << 32); }

    std::uint64_t m_bits = 0;
    ValueType m_type = ValueType::Empty;
};

struct Attribute {
    StringId key = 0;
    Value value;
};

} // namespace spanwise
