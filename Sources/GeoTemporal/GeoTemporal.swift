// GeoTemporal: attack→response windows, escalation series, change points and Hawkes fits.
