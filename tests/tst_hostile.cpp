#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_hostile : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_hostile)
#include "tst_hostile.moc"
