//! iCalendar output (work in progress).
