// Tests of GeoTemporal.
