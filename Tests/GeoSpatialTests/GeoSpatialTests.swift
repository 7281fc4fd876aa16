// Tests of GeoSpatial.
