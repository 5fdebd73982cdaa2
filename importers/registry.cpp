#include "importer.h"

#include <array>

namespace spanwise {

std::span<const Importer* const> allImporters()
{
    static const std::array<const Importer*, 6> importers = {&otlpJsonImporter(), &jaegerImporter(),
                                                             &zipkinImporter(),   &otlpProtoImporter(),
                                                             &xrayImporter(),     &datadogImporter()};
    return importers;
}

} // namespace spanwise
