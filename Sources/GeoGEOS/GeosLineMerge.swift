internal import CGEOS

extension GeosGeometry {
    /// Lines sewn together where they share end points (`GEOSLineMerge_r`): a MultiLineString
    /// of pieces becomes as few LineStrings as its topology allows. Non-lineal parts are dropped
    /// by GEOS; an empty input gives an empty collection.
    public func lineMerged() throws -> GeosGeometry {
        try context.geometry("GEOSLineMerge_r") { GEOSLineMerge_r($0, handle) }
    }
}
