#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_otlp_json : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_otlp_json)
#include "tst_otlp_json.moc"
