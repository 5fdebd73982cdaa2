#include "test_support.h"

#include <dataset_builder.h>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

namespace spanwise::test {

QString dataPath(const QString& relative)
{
    return QStringLiteral(SPANWISE_TEST_DATA) + QLatin1Char('/') + relative;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

ProcessRun runProgram(const QString& program, const QStringList& args)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

ProcessRun runSpanwise(const QStringList& args)
{
    return runProgram(QStringLiteral(SPANWISE_BINARY), args);
}

QString exampleTrace()
{
    return QStringLiteral(SPANWISE_SOURCE_DIR "/resources/examples/checkout.json");
}

ProcessRun runExampleScript(const QStringList& args)
{
    return runProgram(QStringLiteral(SPANWISE_PYTHON),
                      QStringList{QStringLiteral(SPANWISE_SOURCE_DIR "/resources/examples/make_checkout.py")} + args);
}

QString generatedTrace(const QString& format, int spans, const QStringList& extraArgs)
{
    QStringList args = {QStringLiteral("--format"), format, QStringLiteral("--spans"), QString::number(spans)};
    args += extraArgs;
    const QByteArray key =
        QCryptographicHash::hash(args.join(QLatin1Char(' ')).toUtf8(), QCryptographicHash::Sha1).toHex();
    const QString dir = QStringLiteral(SPANWISE_CACHE_DIR);
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + format + QLatin1Char('-') + QString::number(spans) +
                         QLatin1Char('-') + QString::fromLatin1(key.left(10));
    if (QFileInfo::exists(path))
        return path;
    const QString partial = path + QStringLiteral(".partial-") + QString::number(QCoreApplication::applicationPid());
    QProcess process;
    process.start(QStringLiteral(SPANWISE_PYTHON),
                  QStringList{QStringLiteral(SPANWISE_GEN_TRACE)} + args + QStringList{QStringLiteral("-o"), partial});
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        QTest::qFail(qPrintable(QStringLiteral("gen_trace.py failed: ") +
                                QString::fromLocal8Bit(process.readAllStandardError())),
                     __FILE__, __LINE__);
        return {};
    }
    QFile::rename(partial, path);
    return path;
}

static void failOnErrors(const LoadResult& result)
{
    if (!result.complete())
        QTest::qFail(qPrintable(QString::fromStdString("unexpected load errors:\n" + result.errorText())), __FILE__,
                     __LINE__);
}

LoadResult load(const QString& path, bool allowErrors, const LoadOptions& options)
{
    LoadResult result = loadFile(path.toStdString(), options);
    if (!allowErrors)
        failOnErrors(result);
    return result;
}

LoadResult loadText(std::string_view text, bool allowErrors, const LoadOptions& options)
{
    LoadResult result = loadBytes(text, "input", options);
    if (!allowErrors)
        failOnErrors(result);
    return result;
}

const Diagnostic* findDiagnostic(const ImportReport& report, const QString& part)
{
    for (const Diagnostic& d : report.diagnostics) {
        if (QString::fromStdString(d.message).contains(part))
            return &d;
    }
    return nullptr;
}

void verifyBadInput(const QString& text, const char* format, const QString& expected, int spans)
{
    const LoadResult r = loadText(text.toStdString());
    QCOMPARE(r.format, std::string(format));
    QVERIFY(r.report.hasErrors());
    QVERIFY2(findDiagnostic(r.report, expected), r.report.diagnostics[0].message.c_str());
    QCOMPARE(int(r.dataset.spans.size()), spans);
}

const Span* findSpan(const Dataset& data, SpanId id)
{
    for (const Span& s : data.spans) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

Value attribute(const Dataset& data, const Span& span, std::string_view key)
{
    for (std::uint32_t i = span.attributes.first; i < span.attributes.end(); ++i) {
        if (data.str(data.attributes[i].key) == key)
            return data.attributes[i].value;
    }
    return {};
}

std::string quotedJson(const std::string& text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string stringOf(const Dataset& data, const Value& value)
{
    return value.type() == ValueType::String ? std::string(data.str(value.stringId())) : std::string();
}

std::shared_ptr<const Dataset> smallTrace(bool error)
{
    DatasetBuilder b;
    auto add = [&](SpanId id, SpanId parent, TimeNs start, TimeNs end, const char* service,
                   StatusCode status = StatusCode::Unset) {
        SpanRecord r;
        r.traceId = {0, 0x42};
        r.id = id;
        r.parentId = parent;
        r.start = 1'000'000 + start * 1000;
        r.end = 1'000'000 + end * 1000;
        r.service = b.intern(service);
        r.name = b.intern("op" + std::to_string(id));
        r.status = status;
        b.addSpan(r);
    };
    add(1, 0, 0, 1000, "frontend");
    add(2, 1, 100, 400, "cart");
    add(3, 2, 150, 200, "db", error ? StatusCode::Error : StatusCode::Unset);
    add(4, 1, 500, 900, "payment");
    return std::make_shared<const Dataset>(b.finish());
}

std::shared_ptr<const Dataset> wideTrace(int calls, int leaves)
{
    DatasetBuilder b;
    const auto add = [&](SpanId id, SpanId parent, const std::string& name) {
        SpanRecord r;
        r.traceId = {0, 7};
        r.id = id;
        r.parentId = parent;
        r.start = static_cast<TimeNs>(id);
        r.end = static_cast<TimeNs>(id) + 1000;
        r.service = b.intern("svc");
        r.name = b.intern(name);
        b.addSpan(r);
    };
    add(1, 0, "root");
    SpanId next = 2;
    for (int call = 0; call < calls; ++call) {
        const SpanId parent = next++;
        add(parent, 1, "call " + std::to_string(call % 7));
        for (int leaf = 0; leaf < leaves; ++leaf)
            add(next++, parent, "leaf " + std::to_string(leaf % 13));
    }
    return std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
}

} // namespace spanwise::test
