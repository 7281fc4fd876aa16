import Foundation

/// SVG → PNG through the external `rsvg-convert` (librsvg; Debian package `librsvg2-bin`).
public enum TimelinePNG {
    /// The program's path on `PATH`; nil when it is not installed.
    public static var converterPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/rsvg-convert"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Throws `TimelineError`, naming the package to install, when `rsvg-convert` is missing.
    public static func checkInstalled() throws {
        guard converterPath == nil else { return }
        throw TimelineError("PNG output needs rsvg-convert, which is not installed (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg); or write .svg")
    }

    /// The PNG bytes of an SVG text, drawn at its own size (`zoom` 2 for a sharper picture).
    /// Throws `TimelineError` when `rsvg-convert` is missing or fails.
    public static func render(svg: String, zoom: Double = 1) throws -> [UInt8] {
        try checkInstalled()
        guard let converter = converterPath else { return [] }
        // The SVG goes through a temporary file: a pipe both ways could fill and block.
        let dir = FileManager.default.temporaryDirectory
        let input = dir.appendingPathComponent("geo-timeline-\(UUID().uuidString).svg")
        let output = dir.appendingPathComponent("geo-timeline-\(UUID().uuidString).png")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        do { try Data(svg.utf8).write(to: input) } catch { throw TimelineError("cannot write a temporary SVG: \(error)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = ["--format", "png", "--zoom", String(zoom), "--background-color", "white", "--output", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw TimelineError("cannot run \(converter): \(error)") }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let png = try? Data(contentsOf: output), !png.isEmpty else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TimelineError("rsvg-convert failed (status \(process.terminationStatus))\(text.isEmpty ? "" : ": \(text)")")
        }
        return [UInt8](png)
    }
}
