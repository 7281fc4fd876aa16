// GeoEvents: the conflict-event model shared by every command, its formats and geocoding.
