import Foundation
import Testing

/// Numeric options out of range are usage errors that name the option, never crashes.
@Suite struct OptionRangeTests {
    static let events = """
        event_id,event_date,event_type,actor_side,location,latitude,longitude,country
        A1,2024-01-28,Air/drone strike,militia,Tower 22,33.32,38.70,JO
        R1,2024-02-02,Air/drone strike,US,al-Qaim,34.37,41.09,IQ

        """

    @Test(arguments: [
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1e308d"], "--max-lag"),
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1e12d"], "--max-lag"),
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "--within", "30000km"], "--within"),
        (["cluster", "{in}", "--within", "1e308km"], "--within"),
        (["cluster", "{in}", "--within", "0x32km"], "--within"),
        (["cluster", "{in}", "--within", "50km", "--time-window", "1e9w"], "--time-window"),
        (["corridor", "{in}", "--border", "IQ-SY", "--width", "20000km"], "--width"),
        (["near", "{in}", "--within", "-5km"], "--within"),
        (["distance", "0,0", "1,1", "--step", "0m"], "--step"),
    ])
    func outOfRangeIsAUsageError(_ template: [String], _ option: String) throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("events.csv").path
        try Self.events.write(toFile: path, atomically: false, encoding: .utf8)
        let run = geo(template.map { $0 == "{in}" ? path : $0 })
        #expect(run.status == 64, "\(template): \(run.err)")
        #expect(run.err.contains(option), "\(run.err)")
    }

    @Test func aTinyStepIsClampedNotACrash() {
        let run = geo("distance", "0,0", "0,179.5", "--format", "geojson", "--step", "1e-300m")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.components(separatedBy: "],[").count == 10_001, "10,000 segments at most")
    }
}
