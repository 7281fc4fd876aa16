// GeoTemporal: attack→response windows, escalation series, change points and Hawkes fits.
// Numerical over contiguous arrays of times (seconds since 1970-01-01T00:00:00Z, UTC, and day
// numbers); no calendar types beyond `UTCCalendar` and no command-line types.
