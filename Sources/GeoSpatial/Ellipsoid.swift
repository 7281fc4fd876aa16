#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// WGS84 constants and the bounds the neighbour index relies on. Lengths in metres, angles in
/// degrees.
enum WGS84 {
    static let equatorialRadius = 6_378_137.0
    static let flattening = 1 / 298.257223563
    /// First eccentricity squared, f(2 − f).
    static let e2 = flattening * (2 - flattening)
    static let radiansPerDegree = Double.pi / 180

    /// Meridian arc of one degree of latitude at the equator, a(1 − e²)·π/180 ≈ 110 574 m: the
    /// shortest degree of latitude anywhere, so two points `d` metres apart differ in latitude
    /// by at most `d / minimumMeridianDegree` degrees (the meridian is the shortest path
    /// between two parallels).
    static let minimumMeridianDegree = equatorialRadius * (1 - e2) * radiansPerDegree
    /// Meridian arc of one degree at the poles, a / √(1 − e²)·π/180 ≈ 111 694 m: the longest.
    static let maximumMeridianDegree = equatorialRadius / (1 - e2).squareRoot() * radiansPerDegree

    /// Length in metres of one degree of longitude along the parallel at `latitude` degrees,
    /// N(φ)·cos φ·π/180; 0 at the poles.
    @inline(__always)
    static func parallelDegree(latitude: Double) -> Double {
        let phi = min(90, abs(latitude)) * radiansPerDegree
        let s = sin(phi)
        return max(0, equatorialRadius * cos(phi) / (1 - e2 * s * s).squareRoot() * radiansPerDegree)
    }

    /// Earth-centred Cartesian coordinates (metres) of a point on the ellipsoid surface.
    @inline(__always)
    static func cartesian(latitude: Double, longitude: Double) -> (x: Double, y: Double, z: Double) {
        let phi = latitude * radiansPerDegree, lambda = longitude * radiansPerDegree
        let sinPhi = sin(phi), cosPhi = cos(phi)
        let n = equatorialRadius / (1 - e2 * sinPhi * sinPhi).squareRoot()
        return (n * cosPhi * cos(lambda), n * cosPhi * sin(lambda), n * (1 - e2) * sinPhi)
    }
}
