#pragma once
// W/S zoom in/out and A/D pan left/right, as in Perfetto: a short glide on a tap, a steady
// motion for as long as the key is held (the keyboard's auto-repeat plays no part).

#include <types.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

class QKeyEvent;

namespace spanwise {

class TraceViewState;

class KeyMotion : public QObject {
    Q_OBJECT
public:
    // anchor: the time W and S zoom around (under the pointer, or the view's middle).
    KeyMotion(TraceViewState* state, std::function<TimeNs()> anchor, QObject* parent = nullptr);

    static bool handles(int key);
    // True when the event was one of the motion keys (auto-repeats included, and swallowed).
    bool press(const QKeyEvent* event);
    bool release(const QKeyEvent* event);
    void stop(); // every key released (the view lost the keyboard)

    // How far one second of holding moves: the zoom factor and the share of the view panned.
    static constexpr double kZoomPerSecond = 6.0;
    static constexpr double kPanPerSecond = 0.9;
    static constexpr int kTapMs = 160; // a tap glides this long

private:
    void tick();

    TraceViewState* m_state;
    std::function<TimeNs()> m_anchor;
    QTimer m_timer;
    QElapsedTimer m_clock;      // since the last tick
    QElapsedTimer m_sincePress; // of the latest key pressed
    unsigned m_held = 0;        // bits of the keys down
    unsigned m_gliding = 0;     // released during their tap: still moving until it ends
};

} // namespace spanwise
