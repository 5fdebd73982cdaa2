#include "importer.h"

namespace spanwise {

namespace {
int sniff(std::string_view) { return 0; }
void read(const Input&, DatasetBuilder&, ImportReport& report) { report.error(0, "otlp-proto: not implemented yet"); }
} // namespace

const Importer& otlpProtoImporter()
{
    static const Importer importer{"otlp-proto", sniff, read};
    return importer;
}

} // namespace spanwise
