#include <test_support.h>

#include <QTest>

using namespace spanwise;

class Test_summary_cli : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("not written yet"); }
};

QTEST_GUILESS_MAIN(Test_summary_cli)
#include "tst_summary_cli.moc"
