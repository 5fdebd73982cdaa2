#pragma once
// Asks for the shortest span a trace shows ("5ms", "250 µs", "1.5 s"; empty or 0 shows every span),
// offering the current value, and sets it on the trace's state when accepted.

class QWidget;

namespace spanwise {

class TraceViewState;

// The dialog's object name, for tests that answer it.
inline constexpr char kHideShortSpansDialogName[] = "hideShortSpansDialog";

void askMinimumDuration(QWidget* parent, TraceViewState* state);

} // namespace spanwise
