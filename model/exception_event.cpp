#include "exception_event.h"

namespace spanwise {

bool isExceptionEvent(const Dataset& data, const Event& event)
{
    if (data.str(event.name) == "exception" || data.str(event.name) == "error")
        return true;
    for (std::uint32_t a = event.attributes.first; a < event.attributes.end(); ++a) {
        if (data.str(data.attributes[a].key).starts_with("exception."))
            return true;
    }
    return false;
}

} // namespace spanwise
