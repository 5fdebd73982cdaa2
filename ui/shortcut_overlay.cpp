#include "shortcut_overlay.h"

#include "keyboard_shortcuts.h"

#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr int kColumns = 2;

QLabel* groupLabel(const ShortcutGroup& group, QWidget* parent)
{
    QString rows;
    for (const ShortcutEntry& entry : group.entries) {
        rows += QStringLiteral("<tr><td style='padding-right:14px'><b>%1</b></td><td>%2</td></tr>")
                    .arg(entry.keys.toHtmlEscaped(), entry.what.toHtmlEscaped());
    }
    auto* label = new QLabel(QStringLiteral("<p style='margin-bottom:4px'><b><big>%1</big></b></p>"
                                            "<table cellspacing=2>%2</table>")
                                 .arg(group.title.toHtmlEscaped(), rows),
                             parent);
    label->setTextFormat(Qt::RichText);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    return label;
}

} // namespace

ShortcutOverlay::ShortcutOverlay(QWidget* window) : QWidget(window), m_card(new QWidget(this))
{
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::StrongFocus);
    m_card->setAutoFillBackground(true);
    m_card->setAttribute(Qt::WA_NoMousePropagation);
    m_card->setBackgroundRole(QPalette::Window);
    auto* title = new QLabel(tr("<b><big>Keyboard shortcuts</big></b>"), m_card);
    auto* hint = new QLabel(tr("Esc or ? to close"), m_card);
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto* head = new QHBoxLayout;
    head->addWidget(title, 1);
    head->addWidget(hint);
    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(36);
    grid->setVerticalSpacing(16);
    const std::vector<ShortcutGroup> groups = keyboardShortcuts();
    // Down the columns, so the groups read in order.
    const int perColumn = static_cast<int>((groups.size() + kColumns - 1) / kColumns);
    for (int i = 0; i < static_cast<int>(groups.size()); ++i)
        grid->addWidget(groupLabel(groups[i], m_card), i % perColumn, i / perColumn, Qt::AlignTop);
    auto* layout = new QVBoxLayout(m_card);
    layout->setContentsMargins(24, 18, 24, 22);
    layout->setSpacing(14);
    layout->addLayout(head);
    layout->addLayout(grid);
    window->installEventFilter(this);
    hide();
}

void ShortcutOverlay::toggle()
{
    if (isVisible())
        hide();
    else
        open();
}

void ShortcutOverlay::open()
{
    setGeometry(parentWidget()->rect());
    m_card->adjustSize();
    m_card->move((width() - m_card->width()) / 2, std::max(0, (height() - m_card->height()) / 2));
    raise();
    if (!isVisible())
        m_focusBefore = QApplication::focusWidget();
    show();
    setFocus();
}

bool ShortcutOverlay::event(QEvent* event)
{
    // While it shows, the window's shortcuts (/ opening the find bar behind it, say) wait; only
    // those that close it (?, F1) still work.
    if (event->type() == QEvent::ShortcutOverride) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() != Qt::Key_Question && key->key() != Qt::Key_F1) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

bool ShortcutOverlay::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize && isVisible())
        open();
    return QWidget::eventFilter(watched, event);
}

void ShortcutOverlay::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(0, 0, 0, 110));
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawRect(m_card->geometry().adjusted(-1, -1, 0, 0));
}

void ShortcutOverlay::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_Question) {
        hide();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void ShortcutOverlay::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    if (m_focusBefore)
        m_focusBefore->setFocus();
}

void ShortcutOverlay::mousePressEvent(QMouseEvent*)
{
    hide(); // outside the card: the card's labels take their own clicks
}

} // namespace spanwise
