#include "importer.h"

#include <array>

namespace spanwise {

std::span<const Importer* const> allImporters()
{
    static const std::array<const Importer*, 4> importers = {
        &otlpJsonImporter(), &jaegerImporter(), &zipkinImporter(), &otlpProtoImporter()};
    return importers;
}

} // namespace spanwise
