#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_model : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_model)
#include "tst_model.moc"
