#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_zipkin : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_zipkin)
#include "tst_zipkin.moc"
