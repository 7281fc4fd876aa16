// Tests of GeoEvents.
