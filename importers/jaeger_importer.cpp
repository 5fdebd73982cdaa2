#include "importer.h"

namespace spanwise {

namespace {
int sniff(std::string_view) { return 0; }
void read(const Input&, DatasetBuilder&, ImportReport& report) { report.error(0, "jaeger: not implemented yet"); }
} // namespace

const Importer& jaegerImporter()
{
    static const Importer importer{"jaeger", sniff, read};
    return importer;
}

} // namespace spanwise
