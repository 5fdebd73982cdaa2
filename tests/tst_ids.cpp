// Ids, base64 and exact integers as trace files write them.
#include <test_support.h>

#include <ids.h>

#include <QTest>

using namespace spanwise;

class TestIds : public QObject {
    Q_OBJECT
private slots:
    void traceIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint64>("high");
        QTest::addColumn<quint64>("low");
        QTest::newRow("128-bit") << "5759e988bd862e3fe1be46a994272793" << true << 0x5759e988bd862e3fULL
                                 << 0xe1be46a994272793ULL;
        QTest::newRow("upper case") << "5759E988BD862E3FE1BE46A994272793" << true << 0x5759e988bd862e3fULL
                                    << 0xe1be46a994272793ULL;
        QTest::newRow("64-bit") << "e1be46a994272793" << true << 0ULL << 0xe1be46a994272793ULL;
        QTest::newRow("leading zeros stripped") << "2793" << true << 0ULL << 0x2793ULL;
        QTest::newRow("odd length over 64 bits") << "1e1be46a994272793" << true << 0x1ULL << 0xe1be46a994272793ULL;
        QTest::newRow("empty") << "" << false << 0ULL << 0ULL;
        QTest::newRow("33 digits") << "15759e988bd862e3fe1be46a994272793" << false << 0ULL << 0ULL;
        QTest::newRow("not hex") << "span-A" << false << 0ULL << 0ULL;
    }
    void traceIds()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(quint64, high);
        QFETCH(quint64, low);
        const auto id = parseHexTraceId(text.toStdString());
        QCOMPARE(id.has_value(), valid);
        if (valid) {
            QCOMPARE(id->high, high);
            QCOMPARE(id->low, low);
        }
    }

    void spanIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint64>("value");
        QTest::newRow("16 digits") << "00f067aa0ba902b7" << true << 0x00f067aa0ba902b7ULL;
        QTest::newRow("short") << "b7" << true << 0xb7ULL;
        QTest::newRow("32 with zero high half") << "000000000000000000f067aa0ba902b7" << true << 0x00f067aa0ba902b7ULL;
        QTest::newRow("32 with non-zero high half") << "100000000000000000f067aa0ba902b7" << false << 0ULL;
        QTest::newRow("17 digits") << "100f067aa0ba902b7" << false << 0ULL;
        QTest::newRow("space") << "00f067aa 0ba902b7" << false << 0ULL;
    }
    void spanIds()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(quint64, value);
        const auto id = parseHexSpanId(text.toStdString());
        QCOMPARE(id.has_value(), valid);
        if (valid)
            QCOMPARE(*id, value);
    }

    void idsFromBytes()
    {
        const std::string bytes("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16);
        QCOMPARE(toHex(*traceIdFromBytes(bytes)), std::string("0102030405060708090a0b0c0d0e0f10"));
        QCOMPARE(*spanIdFromBytes(bytes.substr(0, 8)), 0x0102030405060708ULL);
        QVERIFY(!spanIdFromBytes(bytes.substr(0, 9)));
        QVERIFY(!traceIdFromBytes(bytes + "x"));
    }

    void base64_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("padded") << "aGVsbG8=" << true << QByteArray("hello");
        QTest::newRow("unpadded") << "aGVsbG8" << true << QByteArray("hello");
        QTest::newRow("url-safe") << "-_8" << true << QByteArray("\xfb\xff", 2);
        QTest::newRow("span id") << "APBnqguQArc=" << true << QByteArray("\x00\xf0\x67\xaa\x0b\x90\x02\xb7", 8);
        QTest::newRow("bad length") << "aGVsb" << false << QByteArray();
        QTest::newRow("bad character") << "aGV*bG8=" << false << QByteArray();
    }
    void base64()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QByteArray, bytes);
        const auto decoded = decodeBase64(text.toStdString());
        QCOMPARE(decoded.has_value(), valid);
        if (valid)
            QCOMPARE(QByteArray::fromStdString(*decoded), bytes);
    }

    void exactIntegers()
    {
        QCOMPARE(*parseInt64("1767225600000000123"), 1767225600000000123LL); // beyond 2^53: exact
        QCOMPARE(*parseInt64("-42"), -42LL);
        QVERIFY(!parseInt64("9223372036854775808"));
        QVERIFY(!parseInt64("12.5"));
        QVERIFY(!parseInt64("+1"));
        QVERIFY(!parseInt64(""));
        QCOMPARE(*parseUint64("18446744073709551615"), 18446744073709551615ULL);
        QVERIFY(!parseUint64("-1"));
        QCOMPARE(*scaleChecked(1'767'225'600'000'000, 1000), 1'767'225'600'000'000'000LL);
        QVERIFY(!scaleChecked(9'300'000'000'000'000, 1000));
        QVERIFY(!scaleChecked(-9'300'000'000'000'000, 1000));
    }

    void decimalSeconds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("fraction") << "1596648396.6399446" << true << qint64(1596648396639944600);
        QTest::newRow("exponent") << "1.568835610432E9" << true << qint64(1568835610432000000);
        QTest::newRow("exponent, sign") << "15688356104.32e-1" << true << qint64(1568835610432000000);
        QTest::newRow("zero") << "0" << true << qint64(0);
        QTest::newRow("leading zeros") << "000.000000001" << true << qint64(1);
        QTest::newRow("negative") << "-1.5" << true << qint64(-1500000000);
        QTest::newRow("rounded up into a new digit") << "0.9999999999" << true << qint64(1000000000);
        QTest::newRow("many digits") << "1596648396.12345678912345678912345" << true << qint64(1596648396123456789);
        QTest::newRow("tiny") << "1e-1000" << true << qint64(0);
        QTest::newRow("largest") << "9223372036.854775807" << true << qint64(9223372036854775807);
        QTest::newRow("past 2262") << "9223372036.854775808" << false << qint64(0);
        QTest::newRow("huge") << "1e30" << false << qint64(0);
        QTest::newRow("two points") << "1.2.3" << false << qint64(0);
        QTest::newRow("no digits") << "-." << false << qint64(0);
        QTest::newRow("empty exponent") << "1e" << false << qint64(0);
        QTest::newRow("text") << "soon" << false << qint64(0);
    }
    void decimalSeconds()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, ns);
        const std::optional<std::int64_t> parsed = decimalSecondsToNanos(text.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, std::int64_t(ns));
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
