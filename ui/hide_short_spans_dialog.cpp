#include "hide_short_spans_dialog.h"

#include "trace_view_state.h"

#include <QDialogButtonBox>
#include <QInputDialog>
#include <QPushButton>

namespace spanwise {

namespace {

// nullopt for text that is no duration; empty text means 0, no minimum.
std::optional<TimeNs> durationOf(const QString& text)
{
    if (text.trimmed().isEmpty())
        return TimeNs{0};
    return parseDuration(text.toStdString());
}

} // namespace

void askMinimumDuration(QWidget* parent, TraceViewState* state)
{
    QInputDialog dialog(parent);
    dialog.setObjectName(QLatin1String(kHideShortSpansDialogName));
    dialog.setWindowTitle(QInputDialog::tr("Hide Short Spans"));
    dialog.setLabelText(QInputDialog::tr("Hide spans shorter than (for example 5ms, 250 µs, 1.5 s; empty or 0 "
                                         "shows every span):"));
    const TimeNs current = state->minimumDuration();
    dialog.setTextValue(current > 0 ? QString::fromStdString(formatDuration(current)) : QString());
    // OK only for a duration: a typo must not silently show or hide everything.
    const auto validate = [&dialog](const QString& text) {
        if (auto* buttons = dialog.findChild<QDialogButtonBox*>())
            buttons->button(QDialogButtonBox::Ok)->setEnabled(durationOf(text).has_value());
    };
    QObject::connect(&dialog, &QInputDialog::textValueChanged, &dialog, validate);
    validate(dialog.textValue());
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const std::optional<TimeNs> duration = durationOf(dialog.textValue()))
        state->setMinimumDuration(*duration);
}

} // namespace spanwise
