#include "span_resource.h"

namespace spanwise {

std::string_view resourceNameOf(const Dataset& data, const Span& span)
{
    const StringId key = data.strings.find("resource.name");
    if (key == kNoIndex)
        return {};
    for (std::uint32_t i = span.attributes.first; i < span.attributes.end(); ++i) {
        const Attribute& a = data.attributes[i];
        if (a.key == key && a.value.type() == ValueType::String)
            return data.str(a.value.stringId());
    }
    return {};
}

} // namespace spanwise
