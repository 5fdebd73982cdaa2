#pragma once
// SPANWISE_SCREENSHOT_DIR=dir makes the UI tests save what they show there, to look at.

#include <QString>
#include <QWidget>

namespace spanwise::test {

inline void saveScreenshot(QWidget* widget, const char* name)
{
    const QByteArray dir = qgetenv("SPANWISE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget->grab().save(QString::fromUtf8(dir) + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

} // namespace spanwise::test
