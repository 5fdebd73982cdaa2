#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_otlp_proto : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_otlp_proto)
#include "tst_otlp_proto.moc"
