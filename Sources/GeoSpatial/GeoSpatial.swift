// GeoSpatial: proximity, clustering and border corridors over point layers (geodesic, WGS84).
