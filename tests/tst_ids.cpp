#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_ids : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_ids)
#include "tst_ids.moc"
