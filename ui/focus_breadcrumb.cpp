#include "focus_breadcrumb.h"

#include "model_text.h"
#include "theme.h"
#include "trace_view_state.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

#include <algorithm>

namespace spanwise {

namespace {

constexpr int kMaxNameChars = 48;

QString elided(QString text)
{
    return text.size() > kMaxNameChars ? text.left(kMaxNameChars - 1) + QStringLiteral("…") : text;
}

} // namespace

FocusBreadcrumb::FocusBreadcrumb(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_path(new QLabel(this))
{
    m_path->setTextFormat(Qt::RichText);
    m_path->setWordWrap(true); // a deep path takes two lines rather than widening the window
    m_path->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    auto* hint = new QLabel(tr("Esc or Backspace: back"), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 8, 3);
    layout->addWidget(new QLabel(tr("Focus:"), this));
    layout->addWidget(m_path, 1);
    layout->addWidget(hint);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    connect(m_path, &QLabel::linkActivated, this, [this](const QString& link) {
        const QString target = link.section(QLatin1Char(':'), 1);
        m_state->setFocusRoot(target == QLatin1String("whole") ? kNoIndex : target.toUInt());
    });
    connect(state, &TraceViewState::focusChanged, this, &FocusBreadcrumb::rebuild);
    rebuild();
}

void FocusBreadcrumb::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

QStringList FocusBreadcrumb::links() const
{
    return m_links;
}

void FocusBreadcrumb::rebuild()
{
    const std::uint32_t focus = m_state->focusRoot();
    setVisible(focus != kNoIndex);
    m_links.clear();
    if (focus == kNoIndex) {
        m_path->clear();
        return;
    }
    // Rich text does not follow the palette's Link colour by itself.
    const QString color = theme::link(palette()).name();
    const auto link = [&color](const QString& href, const QString& text) {
        return QStringLiteral("<a href='%1' style='color:%2'>%3</a>").arg(href, color, text);
    };
    const Dataset& d = m_state->data();
    std::vector<std::uint32_t> chain; // root first
    for (std::uint32_t s = focus; s != kNoIndex; s = d.spans[s].parent)
        chain.push_back(s);
    std::reverse(chain.begin(), chain.end());
    const auto part = [&](std::uint32_t span) {
        const Span& s = d.spans[span];
        const QString text = QStringLiteral("<b>%1</b> %2")
                                 .arg(elided(qstr(d.str(s.service))).toHtmlEscaped(),
                                      elided(qstr(d.str(s.name))).toHtmlEscaped());
        if (span == focus) // where we are: not a link
            return text;
        m_links << QStringLiteral("focus:%1").arg(span);
        return link(QStringLiteral("focus:%1").arg(span), text);
    };
    m_links << QStringLiteral("focus:whole");
    QStringList parts{link(QStringLiteral("focus:whole"), tr("Whole trace"))};
    const std::size_t n = chain.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (n > kMaxParts && i == 2) { // fold the middle: the root, its child, …, the last few
            parts << QStringLiteral("<span title='%1'>…</span>").arg(tr("%1 more levels").arg(n - kMaxParts));
            i = n - (kMaxParts - 2) - 1;
            continue;
        }
        parts << part(chain[i]);
    }
    m_path->setText(parts.join(QStringLiteral(" &nbsp;›&nbsp; ")));
}

} // namespace spanwise
