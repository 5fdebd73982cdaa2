#include "key_motion.h"

#include "trace_view_state.h"

#include <QKeyEvent>

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

enum : unsigned { kW = 1, kA = 2, kS = 4, kD = 8 };

unsigned bitOf(int key)
{
    switch (key) {
    case Qt::Key_W:
        return kW;
    case Qt::Key_A:
        return kA;
    case Qt::Key_S:
        return kS;
    case Qt::Key_D:
        return kD;
    default:
        return 0;
    }
}

} // namespace

KeyMotion::KeyMotion(TraceViewState* state, std::function<TimeNs()> anchor, QObject* parent)
    : QObject(parent), m_state(state), m_anchor(std::move(anchor))
{
    m_timer.setInterval(16); // about one step per frame
    connect(&m_timer, &QTimer::timeout, this, &KeyMotion::tick);
}

bool KeyMotion::handles(int key)
{
    return bitOf(key) != 0;
}

bool KeyMotion::press(const QKeyEvent* event)
{
    const unsigned bit = bitOf(event->key());
    if (!bit || (event->modifiers() & ~(Qt::KeypadModifier)) != Qt::NoModifier)
        return false;
    if (event->isAutoRepeat())
        return true;
    m_held |= bit;
    m_gliding &= ~bit;
    m_sincePress.start();
    if (!m_timer.isActive()) {
        m_clock.start();
        m_timer.start();
        tick(); // the first step at once
    }
    return true;
}

bool KeyMotion::release(const QKeyEvent* event)
{
    const unsigned bit = bitOf(event->key());
    if (!bit || event->isAutoRepeat())
        return bit != 0;
    m_held &= ~bit;
    if (m_sincePress.isValid() && m_sincePress.elapsed() < kTapMs)
        m_gliding |= bit;
    return true;
}

void KeyMotion::stop()
{
    m_held = m_gliding = 0;
    m_timer.stop();
}

void KeyMotion::tick()
{
    if (m_gliding && m_sincePress.elapsed() >= kTapMs)
        m_gliding = 0;
    const unsigned moving = m_held | m_gliding;
    if (!moving) {
        m_timer.stop();
        return;
    }
    // The first tick of a press moves one frame's worth; later ones as long as really elapsed
    // (capped, so a stalled event loop does not jump).
    const double seconds = std::clamp(m_clock.restart() / 1000.0, 0.016, 0.05);
    const int zoom = ((moving & kW) ? 1 : 0) - ((moving & kS) ? 1 : 0);
    const int pan = ((moving & kD) ? 1 : 0) - ((moving & kA) ? 1 : 0);
    if (zoom != 0)
        m_state->zoom(std::pow(kZoomPerSecond, zoom * seconds), m_anchor());
    if (pan != 0) {
        const double width = static_cast<double>(m_state->viewEnd() - m_state->viewStart());
        m_state->pan(static_cast<TimeNs>(std::llround(pan * kPanPerSecond * seconds * width)));
    }
}

} // namespace spanwise
