// The waterfall row's name cell, laid out once for painting, measuring and hitting the arrow.

#include <row_layout.h>

#include <QtTest>

using namespace spanwise;

class TestRowLayout : public QObject {
    Q_OBJECT
private slots:
    void partsFollowEachOtherLeftToRight()
    {
        RowCell cell;
        cell.indent = 28;
        cell.hasChildren = true;
        cell.markers = 2;
        cell.depthLabel = 10;
        cell.hiddenLabel = 24;
        const RowLayout l = RowLayout::of(cell, 400);
        QCOMPARE(l.arrowLeft, RowLayout::kLeftPad + 28);
        QCOMPARE(l.chipLeft, l.arrowLeft + RowLayout::kArrowWidth);
        QCOMPARE(l.markersLeft, l.chipLeft + RowLayout::kChipAdvance);
        QCOMPARE(l.depthLeft, l.markersLeft + 2 * RowLayout::kMarkerAdvance);
        QCOMPARE(l.textLeft, l.depthLeft + 10 + RowLayout::kDepthPad);
        QCOMPARE(l.hiddenLeft + 24, 400 - RowLayout::kRightPad); // right-aligned
        QCOMPARE(l.textRight, l.hiddenLeft - RowLayout::kNameGap);
    }

    void naturalWidthShowsBothNamesWhole_data()
    {
        QTest::addColumn<int>("markers");
        QTest::addColumn<int>("hidden");
        QTest::newRow("plain") << 0 << 0;
        QTest::newRow("failed, collapsed") << 1 << 30;
        QTest::newRow("two markers") << 2 << 0;
    }
    void naturalWidthShowsBothNamesWhole()
    {
        QFETCH(int, markers);
        QFETCH(int, hidden);
        RowCell cell;
        cell.indent = 42;
        cell.markers = markers;
        cell.hiddenLabel = hidden;
        const int service = 73, operation = 121;
        const int width = RowLayout::naturalWidth(cell, service, operation);
        const RowLayout l = RowLayout::of(cell, width);
        QVERIFY(l.textWidth() >= service + RowLayout::kNameGap + operation);
        QVERIFY(l.textWidth() <= service + RowLayout::kNameGap + operation + 2); // and no wider
        QVERIFY(l.serviceRoom(operation) >= service);
    }

    void arrowIsHitWhereItIsDrawn()
    {
        RowCell cell;
        cell.indent = 14;
        const RowLayout l = RowLayout::of(cell, 300);
        QVERIFY(!l.onArrow(l.arrowLeft - 1));
        QVERIFY(l.onArrow(l.arrowLeft));
        QVERIFY(l.onArrow(l.arrowLeft + RowLayout::kArrowWidth - 1));
        QVERIFY(!l.onArrow(l.chipLeft));
    }

    void serviceKeepsItsNameWhileTheOperationGetsAFewCharacters()
    {
        const RowLayout l = RowLayout::of(RowCell{}, 300);
        const int room = l.textWidth();
        // The service takes what the operation's minimum leaves…
        QCOMPARE(l.serviceRoom(50), room - RowLayout::kNameGap - 50);
        // …but never less than half the room.
        QCOMPARE(l.serviceRoom(room), room / 2);
    }

    void textNeverStartsBeforeItsLeft()
    {
        RowCell cell;
        cell.indent = 500; // deeper than the column
        const RowLayout l = RowLayout::of(cell, 200);
        QCOMPARE(l.textRight, l.textLeft);
        QCOMPARE(l.textWidth(), 0);
    }
};

QTEST_APPLESS_MAIN(TestRowLayout)
#include "tst_row_layout.moc"
