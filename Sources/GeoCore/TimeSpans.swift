/// Time spans of events, seconds since 1970-01-01T00:00Z, struct of arrays (`end ≥ start`):
/// the one column form of event times (`EventLayer` holds them so; clustering and response
/// windows take them).
public struct TimeSpans: Sendable {
    public var startSeconds: [Double]
    public var endSeconds: [Double]

    public init(startSeconds: [Double], endSeconds: [Double]) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    /// The gap in seconds between the spans of points `a` and `b`: 0 when they overlap or
    /// touch, else the time from the end of the earlier to the start of the later.
    @inline(__always) public func gapSeconds(_ a: Int, _ b: Int) -> Double {
        max(0, max(startSeconds[a], startSeconds[b]) - min(endSeconds[a], endSeconds[b]))
    }
}
