#pragma once
// The keyboard shortcuts over the window they belong to: a dimmed backdrop and a card with the
// groups of keyboardShortcuts() in columns. Esc, `?` or a click outside the card closes it.

#include <QPointer>
#include <QWidget>

class QLabel;

namespace spanwise {

class ShortcutOverlay : public QWidget {
    Q_OBJECT
public:
    explicit ShortcutOverlay(QWidget* window); // covers the window, follows its size
    void toggle();
    QWidget* card() const { return m_card; }

protected:
    bool event(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void open();
    QWidget* m_card;
    QPointer<QWidget> m_focusBefore; // gets the keyboard back on close
};

} // namespace spanwise
