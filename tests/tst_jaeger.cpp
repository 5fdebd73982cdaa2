#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_jaeger : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_jaeger)
#include "tst_jaeger.moc"
