#include "page.h"

namespace spanwise {

Page::~Page() = default;

} // namespace spanwise
