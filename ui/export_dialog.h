#pragma once
// File ▸ Export Image…: what to export (of a trace: the rows on screen or all of them, the current
// zoom or the whole trace, with or without the breakdown chart; of a comparison: how many of the
// largest changes, with or without the selected node's waterfalls), at which width, scale and theme;
// shows the resulting size, or why it cannot be exported, before the file is chosen.

#include "compare_image.h"
#include "image_writers.h"
#include "trace_image.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace spanwise {

class ComparePage;
class TracePage;
class WaterfallView;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // A trace: its waterfall's rows and time window, or (as `view` says) another view of it.
    ExportDialog(WaterfallView* waterfall, QString fileName, QWidget* parent = nullptr, ViewImageChoice view = {});
    // The view a trace page shows, as shown: the flame graph's mode, width and zoom, the graph's
    // mode, the table's sort, filter, columns and their widths.
    // With onScreen, only the table's rows on screen.
    static ViewImageChoice shownView(TracePage* page, bool onScreen = false);
    // A comparison; pathA is A's file, whose folder the suggested file name is in.
    ExportDialog(ComparePage* page, QString pathA, QWidget* parent = nullptr);

    ImageFormat format() const;
    int scale() const;                          // 1 or 2 (PNG only)
    TraceImageOptions options() const;          // of a trace
    CompareImageOptions compareOptions() const; // of a comparison
    // The image as chosen: a TraceImage (without annotations) or a CompareImage.
    std::unique_ptr<DocumentImage> image() const;
    // The file name the save dialog proposes: the trace file's base name and the trace id, or both
    // compared files' base names.
    QString suggestedFileName() const;

    QComboBox* formatBox() const { return m_format; }
    QLabel* viewLabel() const { return m_viewLabel; } // which view of a trace is exported
    QCheckBox* allRowsBox() const { return m_allRows; }
    QCheckBox* wholeTraceBox() const { return m_wholeTrace; }
    QSpinBox* widthBox() const { return m_width; }
    QComboBox* scaleBox() const { return m_scale; }
    QComboBox* themeBox() const { return m_theme; }
    QCheckBox* breakdownBox() const { return m_breakdown; }
    // Of a comparison only (nullptr for a trace), as the three above are of a trace only.
    QCheckBox* waterfallsBox() const { return m_waterfalls; }
    QSpinBox* tableRowsBox() const { return m_tableRows; }
    QLabel* sizeLabel() const { return m_size; }
    QPushButton* exportButton() const { return m_export; }

    void accept() override; // remembers the choices for next time

private:
    // The choices both kinds have, and the form with the format in it.
    QFormLayout* createCommonChoices();
    void finishLayout(QFormLayout* form);
    void updateSize();
    // Of all the rows, how many (from the top) the chosen format and scale hold.
    int rowsThatFit() const;

    WaterfallView* m_waterfall = nullptr;
    ViewImageChoice m_view;
    QLabel* m_viewLabel = nullptr;
    ComparePage* m_compare = nullptr;
    QString m_fileName;
    QComboBox* m_format = nullptr;
    QCheckBox* m_allRows = nullptr;
    QCheckBox* m_wholeTrace = nullptr;
    QSpinBox* m_width = nullptr;
    QComboBox* m_scale = nullptr;
    QComboBox* m_theme = nullptr;
    QCheckBox* m_breakdown = nullptr;
    QCheckBox* m_waterfalls = nullptr;
    QSpinBox* m_tableRows = nullptr;
    QLabel* m_size = nullptr;
    QPushButton* m_export = nullptr;
    int m_fittingRows = -1; // rowsThatFit() for the current choices; -1 when all fit
};

} // namespace spanwise
