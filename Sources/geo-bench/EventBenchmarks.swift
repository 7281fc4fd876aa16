#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer

/// Converting 1,000,000 event rows, CSV → GeoJSONSeq, with the `geo` executable next to
/// geo-bench (a child process, so that its peak memory is its own). scripts/bench times GDAL's
/// ogr2ogr on the same file.
let eventBenchmarks: [Benchmark] = [
    Benchmark(name: "convert-1m") { options in
        let input = try eventsCSV(options)
        let output = options.dataDirectory + "/events-1m.geojsons"
        for (name, extra) in [("convert-1m", [String]()), ("convert-1m-no-country-check", ["--no-country-check"])] {
            var best = Double.infinity
            var peakKB = 0
            for _ in 0..<options.repeats {
                let run = try runChild(siblingExecutable("geo"), ["convert", input, "-o", output, "--allow-rejects"] + extra)
                guard run.status == 0 else { fail("\(name): geo convert exited with \(run.status)") }
                best = min(best, run.seconds)
                peakKB = max(peakKB, run.maxRSSKilobytes)
            }
            emit(name, Double(options.points) / best, "rows/s", n: options.points)
            emit(name + "-seconds", best, "s", n: options.points)
            emit(name + "-peak-memory", Double(peakKB) / 1024, "MB", n: options.points)
        }
        FileHandleLite.stderr("convert-1m: input \(fileSize(input) / 1_000_000) MB, output \(fileSize(output) / 1_000_000) MB\n")
    },
    // Issue 16's target: every analysis command on 1M events within 200 bytes an event of peak
    // memory beyond the input's own text (mapped, so it counts in the resident set). The peer
    // in the same run is `geo convert` on the same file, the streaming reader at its leanest.
    Benchmark(name: "analysis-memory-1m") { options in
        let input = try eventsCSV(options)
        let inputMB = Double(fileSize(input)) / 1_048_576
        let runs: [(String, [String])] = [
            ("convert", ["convert", input, "-o", "/dev/null", "--format", "geojsonseq", "--no-country-check"]),
            ("cluster", ["cluster", input, "--within", "2km", "--no-country-check", "-o", "/dev/null"]),
            ("near", ["near", input, "--kind", "base,air_base", "--within", "100km", "--no-country-check", "-o", "/dev/null"]),
            ("corridor", ["corridor", input, "--border", "IQ-SY", "--no-country-check", "-o", "/dev/null"]),
            ("windows", ["windows", input, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1d",
                         "--within", "1km", "--permutations", "0", "--format", "json", "--no-country-check", "-o", "/dev/null"]),
            ("escalation", ["escalation", input, "--by", "week", "--split", "actor_side", "--no-country-check", "-o", "/dev/null"]),
        ]
        for (name, arguments) in runs {
            let run = try runChild(siblingExecutable("geo"), arguments)
            guard run.status == 0 else { fail("analysis-memory-1m: geo \(name) exited with \(run.status)") }
            let peakMB = Double(run.maxRSSKilobytes) / 1024
            emit("\(name)-1m-seconds", run.seconds, "s", n: options.points)
            emit("\(name)-1m-peak-memory", peakMB, "MB", n: options.points)
            emit("\(name)-1m-bytes-per-event-beyond-input", max(0, peakMB - inputMB) * 1_048_576 / Double(options.points), "B", n: options.points)
            FileHandleLite.stderr("analysis-memory-1m: \(name) \(Format.fixed(run.seconds, 1)) s, peak \(Int(peakMB)) MB (input \(Int(inputMB)) MB)\n")
        }
    },
]

/// Issue 19's reading targets, on the events of `events-1m.csv` written by `geo convert` as
/// GeoJSONSeq (`events-1m.geojsons`, 1M features): the event layer read in-process (MB/s), and
/// each command end to end with its peak memory. scripts/bench measures orjson, json and
/// ogr2ogr on the same file.
let layerBenchmarks: [Benchmark] = [
    Benchmark(name: "event-layer-read") { options in
        let path = try eventsGeoJSONSeq(options)
        var count = 0
        let seconds = try bestSeconds(options.repeats) {
            let layer = try EventLayer.read(path: path, options: EventLayerOptions())
            count = layer.count
        }
        emit("event-layer-read", Double(fileSize(path)) / 1e6 / seconds, "MB/s", n: count)
    },
    // The same on one thread: MB/s per core, the issue's unit.
    Benchmark(name: "event-layer-read-1-thread") { options in
        let path = try eventsGeoJSONSeq(options)
        var count = 0
        var layerOptions = EventLayerOptions()
        layerOptions.threads = 1
        let seconds = try bestSeconds(options.repeats) {
            let layer = try EventLayer.read(path: path, options: layerOptions)
            count = layer.count
        }
        emit("event-layer-read-1-thread", Double(fileSize(path)) / 1e6 / seconds, "MB/s", n: count)
    },
    // A table read into the layer in-process (rows/s), on all cores and on one: the issue's
    // CSV target (plain rows by `TableScanner`, no country check, as the GeoJSON lines).
    Benchmark(name: "table-layer-read") { try tableLayerRead($0, name: "table-layer-read", threads: ProcessInfo.processInfo.activeProcessorCount) },
    Benchmark(name: "table-layer-read-1-thread") { try tableLayerRead($0, name: "table-layer-read-1-thread", threads: 1) },
    // Commands straight from the 1M-row CSV, end to end, country check on (the default).
    Benchmark(name: "commands-1m-csv") { options in
        let input = try eventsCSV(options)
        let runs = issueCommands(input)
        try runCommands(runs, benchmark: "commands-1m-csv", suffix: "1m-csv", options)
    },
    Benchmark(name: "commands-1m-geojsonseq") { options in
        let input = try eventsGeoJSONSeq(options)
        let runs = issueCommands(input)
        try runCommands(runs, benchmark: "commands-1m-geojsonseq", suffix: "1m-geojsonseq", options)
    },
    // The same events as one FeatureCollection (what QGIS and most tools write): its members
    // read in parts on all cores.
    Benchmark(name: "commands-1m-geojson") { options in
        let input = try eventsGeoJSON(options)
        let runs = issueCommands(input).filter { ["cluster", "escalation", "convert"].contains($0.0) }
        try runCommands(runs, benchmark: "commands-1m-geojson", suffix: "1m-geojson", options)
    },
    // An ACLED export's shape (31 columns, ~505 bytes a row, long notes with quotes, `;` source
    // lists, upload times, towns' points repeated as ACLED repeats them): what analysts start
    // from. scripts/bench measures ogr2ogr rewriting the same file.
    Benchmark(name: "commands-acled-300k") { options in
        let input = try acledExport(options)
        let runs = issueCommands(input)
        var rows = options
        rows.points = 300_000
        try runCommands(runs, benchmark: "commands-acled-300k", suffix: "acled-300k", rows)
    },
]

/// Issue 19's five commands on `input`, by name, outputs to /dev/null.
func issueCommands(_ input: String) -> [(String, [String])] {
    [
        ("cluster", ["cluster", input, "--within", "50km", "-o", "/dev/null", "--format", "geojsonseq"]),
        ("near", ["near", input, "--k", "1", "-o", "/dev/null", "--format", "geojsonseq"]),
        ("corridor", ["corridor", input, "--border", "IQ-SY", "-o", "/dev/null", "--format", "geojson"]),
        ("escalation", ["escalation", input, "--by", "week", "-o", "/dev/null"]),
        ("convert", ["convert", input, "-o", "/dev/null", "--format", "geojsonseq"]),
    ]
}

/// Each `geo` command end to end (best of up to two runs), as `NAME-SUFFIX-seconds` and
/// `NAME-SUFFIX-peak-memory`.
func runCommands(_ runs: [(String, [String])], benchmark: String, suffix: String, _ options: Options) throws {
    for (name, arguments) in runs {
        var best = Double.infinity, peakKB = 0
        for _ in 0..<min(options.repeats, 2) {
            let run = try runChild(siblingExecutable("geo"), arguments)
            guard run.status == 0 else { fail("\(benchmark): geo \(name) exited with \(run.status)") }
            best = min(best, run.seconds)
            peakKB = max(peakKB, run.maxRSSKilobytes)
        }
        emit("\(name)-\(suffix)-seconds", best, "s", n: options.points)
        emit("\(name)-\(suffix)-peak-memory", Double(peakKB) / 1024, "MB", n: options.points)
        FileHandleLite.stderr("\(benchmark): \(name) \(Format.fixed(best, 2)) s, peak \(peakKB / 1024) MB\n")
    }
}

/// `events-1m.csv` read into an event layer on `threads` threads, in rows/s.
func tableLayerRead(_ options: Options, name: String, threads: Int) throws {
    let path = try eventsCSV(options)
    var count = 0
    var layerOptions = EventLayerOptions()
    layerOptions.threads = threads
    let seconds = try bestSeconds(options.repeats) {
        let layer = try EventLayer.read(path: path, options: layerOptions)
        count = layer.count
    }
    emit(name, Double(count) / seconds, "rows/s", n: count)
}

/// `events-1m.geojsons` (written once by `geo convert` from `events-1m.csv`).
func eventsGeoJSONSeq(_ options: Options) throws -> String { try convertedEvents(options, name: "events-1m.geojsons") }

/// `events-1m.geojson`, the same events as one FeatureCollection (written once by `geo convert`).
func eventsGeoJSON(_ options: Options) throws -> String { try convertedEvents(options, name: "events-1m.geojson") }

/// `events-1m.csv` converted by `geo convert` to the file `name` (its extension gives the
/// format), once.
func convertedEvents(_ options: Options, name: String) throws -> String {
    let path = options.dataDirectory + "/" + name
    if fileSize(path) > 0 { return path }
    let csv = try eventsCSV(options)
    let run = try runChild(siblingExecutable("geo"), ["convert", csv, "-o", path, "--no-country-check"])
    guard run.status == 0 else { fail("\(name): geo convert exited with \(run.status)") }
    return path
}

/// `events-1m.csv` (written once): the project's CSV with coordinates jittered up to ±0.01°
/// around real places of Iraq, Syria and Jordan, so every row keeps its country.
func eventsCSV(_ options: Options) throws -> String {
    let path = options.dataDirectory + "/events-1m.csv"
    if fileSize(path) > 0 { return path }
    let g = try Gazetteer.load(userDirectory: nil)
    let places = g.entries.filter { $0.kind == .place && ["IQ", "SY", "JO"].contains($0.country) && $0.population >= 5_000 }
    var rng = SeededGenerator(seed: 20_240_128)
    let sink = try FileSink(creating: path)
    try sink.write("event_id,event_date,time_precision,event_type,sub_event_type,actor1,actor_side,target,location,latitude,longitude,country,fatalities,sources,notes\n")
    let types = [
        ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Strategic developments", "Disrupted weapons use"),
    ]
    let sides = [("Islamic Resistance in Iraq", "militia", "US forces"), ("Military Forces of the United States", "US", "Kata'ib Hezbollah")]
    var line = ""
    for i in 0..<options.points {
        let place = places[Int.random(in: 0..<places.count, using: &rng)]
        let lat = place.position.latitude + Double.random(in: -0.01...0.01, using: &rng)
        let lon = place.position.longitude + Double.random(in: -0.01...0.01, using: &rng)
        let day = UTCCalendar.isoDate(daysSinceEpoch: 19_000 + Int.random(in: 0..<1_500, using: &rng))
        let (type, sub) = types[i % types.count]
        let (actor, side, target) = sides[(i / 3) % sides.count]
        line.removeAll(keepingCapacity: true)
        line += "E\(i),\(day),1,\(type),\(sub),\(actor),\(side),\(target),\(CSV.escape(place.name)),"
        line += "\(Double(Int(lat * 1e5)) / 1e5),\(Double(Int(lon * 1e5)) / 1e5),\(place.country),\(i % 4),https://example.org/r\(i % 97),generated row\n"
        try sink.write(line)
    }
    try sink.close()
    return path
}

/// `acled-300k.csv`: 300,000 rows in the columns of an ACLED export, on the bundled gazetteer's
/// Iraqi and Syrian towns (5,000 people or more), a few towns taking most events as in ACLED's
/// data, their points to four decimals; ISO dates, notes of about 250 bytes (a third quoting a
/// claim), `;` lists of sources, integer upload times. Every row is accepted (its point lies in
/// its country).
func acledExport(_ options: Options) throws -> String {
    let path = options.dataDirectory + "/acled-300k.csv"
    if fileSize(path) > 0 { return path }
    let g = try Gazetteer.load(userDirectory: nil)
    let places = g.entries.filter { $0.kind == .place && ["IQ", "SY"].contains($0.country) && $0.population >= 5_000 }
        .sorted { ($0.population, $0.id) > ($1.population, $1.id) }
    var rng = SeededGenerator(seed: 20_231_007)
    let sink = try FileSink(creating: path)
    try sink.write(EventReader.acledColumns.joined(separator: ",") + "\n")
    let types = [("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
                 ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Battles", "Armed clash"),
                 ("Strategic developments", "Disrupted weapons use")]
    let actors = [("Military Forces of the United States (2021-)", 8), ("Islamic Resistance in Iraq", 3), ("Kata'ib Hezbollah", 3),
                  ("Islamic State (Syria)", 2), ("Unidentified Armed Group (Syria)", 3), ("Military Forces of Syria (2000-2024)", 1),
                  ("Military Forces of Iran (1989-)", 8)]
    let admins = ["IQ": ["Al Anbar", "Ninewa", "Erbil", "Baghdad", "Salah al-Din"], "SY": ["Deir ez-Zor", "Al Hasakeh", "Homs", "Aleppo", "Damascus"]]
    let sources = ["Sabereen News; Syrian Observatory for Human Rights", "Reuters", "Shafaq News; Rudaw", "Deir Ezzor 24", "AP; AFP; Reuters"]
    let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    var line = ""
    for i in 0..<300_000 {
        // A few towns take most events: the index is the cube of a uniform draw.
        let u = Double.random(in: 0..<1, using: &rng)
        let place = places[min(places.count - 1, Int(Double(places.count) * u * u * u))]
        let (iso3, iso, country) = place.country == "IQ" ? ("IRQ", 368, "Iraq") : ("SYR", 760, "Syria")
        let days = 18_000 + Int.random(in: 0..<2_500, using: &rng)
        let day = UTCCalendar.isoDate(daysSinceEpoch: days)
        let (year, month, dayOfMonth) = (Int(day.prefix(4))!, Int(day.dropFirst(5).prefix(2))!, Int(day.suffix(2))!)
        let (type, sub) = types[Int.random(in: 0..<types.count, using: &rng)]
        let (actor1, inter1) = actors[Int.random(in: 0..<actors.count, using: &rng)]
        let (actor2, inter2) = i % 3 == 0 ? ("", 0) : actors[Int.random(in: 0..<actors.count, using: &rng)]
        let fatalities = Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: 1...12, using: &rng) : 0
        let admin1 = admins[place.country]![i % 5]
        let claim = i % 3 == 0 ? "\"\(fatalities + 2) fighters\" were killed, a claim" : "\(fatalities) people were killed, a figure"
        let notes = "On \(dayOfMonth) \(months[month - 1]) \(year), \(actor1) struck positions of \(actor2.isEmpty ? "unidentified forces" : actor2) "
            + "near \(place.name), \(admin1). According to local sources, \(claim) that could not be verified. [size=no report]"
        let precision = [1, 1, 1, 1, 2, 3][i % 6]
        line.removeAll(keepingCapacity: true)
        line += "\(iso3)\(i),\(day),\(year),\(precision),Political violence,\(type),\(sub),\(actor1),,\(inter1),\(actor2),,"
        line += "\(inter2 == 0 ? "" : String(inter2)),\(inter1 * 10 + inter2),,\(iso),Middle East,\(country),\(admin1),,,\(CSV.escape(place.name)),"
        line += "\(Double(Int((place.position.latitude * 1e4).rounded())) / 1e4),\(Double(Int((place.position.longitude * 1e4).rounded())) / 1e4),"
        line += "\([1, 1, 2, 3][i % 4]),\(sources[i % sources.count]),National-International,\(CSV.escape(notes)),\(fatalities),"
        line += "\(i % 7 == 0 ? "crowd size=no report" : ""),\(1_600_000_000 + i * 97)\n"
        try sink.write(line)
    }
    try sink.close()
    return path
}

/// An executable in the same folder as geo-bench (`.build/release/geo`).
func siblingExecutable(_ name: String) -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { fail("cannot find geo-bench's own path") }
    let own = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let dir = own[..<(own.lastIndex(of: "/") ?? own.endIndex)]
    let path = dir + "/" + name
    guard access(path, X_OK) == 0 else { fail("\(path) not found: build it with `swift build -c release --product \(name)`") }
    return String(path)
}

/// Runs a program with stdout and stderr discarded; wall seconds and peak resident memory.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`), not from `wait4`: Linux carries a
/// parent's high-water mark into a forked child, so a child of the (large) benchmark process
/// would report the parent's memory.
func runChild(_ path: String, _ arguments: [String]) throws -> (status: Int32, seconds: Double, maxRSSKilobytes: Int) {
    let report = "/tmp/geo-bench-rss-\(getpid()).txt"
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let timeProgram = "/usr/bin/time"
    guard access(timeProgram, X_OK) == 0 else { fail("\(timeProgram) not found: install Debian's time package (scripts/bench does)") }
    let argv = ([timeProgram, "-f", "%M", "-o", report, path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = monotonicSeconds()
    guard posix_spawn(&pid, timeProgram, &actions, nil, argv, environ) == 0 else { fail("cannot start \(path)") }
    var status: Int32 = 0
    guard waitpid(pid, &status, 0) == pid else { fail("waitpid failed for \(path)") }
    let seconds = monotonicSeconds() - start
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    var kilobytes = 0
    if let file = fopen(report, "r") {
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) { kilobytes = n }
        }
        fclose(file)
        unlink(report)
    }
    return (exitStatus, seconds, kilobytes)
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
