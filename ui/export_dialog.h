#pragma once
// File ▸ Export Image…: what to export (the rows on screen or all of them, the current zoom or
// the whole trace), at which width, scale and theme, with or without the breakdown chart; shows
// the resulting size, or why it cannot be exported, before the file is chosen.

#include "image_writers.h"
#include "trace_image.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace spanwise {

class WaterfallView;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(WaterfallView* waterfall, QString fileName, QWidget* parent = nullptr);

    ImageFormat format() const;
    int scale() const; // 1 or 2 (PNG only)
    TraceImageOptions options() const;
    // The file name the save dialog proposes: the trace file's base name and the trace id.
    QString suggestedFileName() const;

    QComboBox* formatBox() const { return m_format; }
    QCheckBox* allRowsBox() const { return m_allRows; }
    QCheckBox* wholeTraceBox() const { return m_wholeTrace; }
    QSpinBox* widthBox() const { return m_width; }
    QComboBox* scaleBox() const { return m_scale; }
    QComboBox* themeBox() const { return m_theme; }
    QCheckBox* breakdownBox() const { return m_breakdown; }
    QLabel* sizeLabel() const { return m_size; }
    QPushButton* exportButton() const { return m_export; }

    void accept() override; // remembers the choices for next time

private:
    void updateSize();

    WaterfallView* m_waterfall;
    QString m_fileName;
    QComboBox* m_format;
    QCheckBox* m_allRows;
    QCheckBox* m_wholeTrace;
    QSpinBox* m_width;
    QComboBox* m_scale;
    QComboBox* m_theme;
    QCheckBox* m_breakdown;
    QLabel* m_size;
    QPushButton* m_export;
};

} // namespace spanwise
