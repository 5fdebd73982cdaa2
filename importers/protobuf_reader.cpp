#include "protobuf_reader.h"

namespace spanwise::pb {

std::string describe(const Reader& reader)
{
    switch (reader.problem()) {
    case Problem::None:
        return "no problem";
    case Problem::Truncated:
        return "the data ends inside a field";
    case Problem::LongVarint:
        return "a varint longer than 10 bytes";
    case Problem::LengthPastEnd:
        return "a length of " + std::to_string(reader.claimedLength()) + " bytes, but only " +
               std::to_string(reader.bytesLeft()) + " are left";
    case Problem::Group:
        return "a group (wire type 3 or 4), which OTLP does not use";
    case Problem::BadTag:
        return "an invalid field tag (field number 0 or wire type 6 or 7)";
    }
    return "unknown problem";
}

const char* toString(WireType type)
{
    switch (type) {
    case WireType::Varint:
        return "varint";
    case WireType::Fixed64:
        return "fixed64";
    case WireType::Bytes:
        return "length-delimited";
    case WireType::StartGroup:
    case WireType::EndGroup:
        return "group";
    case WireType::Fixed32:
        return "fixed32";
    }
    return "unknown";
}

} // namespace spanwise::pb
