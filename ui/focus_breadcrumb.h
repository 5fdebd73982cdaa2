#pragma once
// Where the focused subtree sits: "Whole trace › root › … › focused span", every part a link that
// focuses there (the first shows the whole trace again). Hidden while the whole trace shows.

#include <QWidget>

class QLabel;

namespace spanwise {

class TraceViewState;

class FocusBreadcrumb : public QWidget {
    Q_OBJECT
public:
    explicit FocusBreadcrumb(TraceViewState* state, QWidget* parent = nullptr);

    QLabel* path() const { return m_path; }
    // The links shown, in order: "focus:whole", then "focus:<span index>" for each span part.
    QStringList links() const;

    // At most this many spans are named; the ones between the root's child and the last few fold into "…".
    static constexpr int kMaxParts = 7;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    TraceViewState* m_state;
    QLabel* m_path;
    QStringList m_links;
};

} // namespace spanwise
