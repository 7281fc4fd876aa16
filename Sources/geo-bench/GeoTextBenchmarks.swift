import GeoCore
import GeoGazetteer
import GeoText

/// Geoparsing running text: `geoparse` times `Geoparser.parse` on one thread over synthetic
/// reports (about 3 KB each: conflict-news sentences around gazetteer names, half of them in
/// Syria, Iraq, Jordan, Lebanon, Turkey and Iran, with people, organisations, months and
/// numbers between), recognition and resolution included, and reports MB of text per second.
/// The reports are written to `geoparse-reports.jsonl` for the peer (a Python Aho-Corasick
/// automaton over the same gazetteer names, `scripts/bench_peers.py`).
let geoTextBenchmarks: [Benchmark] = [
    Benchmark(name: "geoparse") { options in
        let g = try Gazetteer.load(userDirectory: nil)
        let parser = Geoparser(gazetteer: g)
        let reports = syntheticReports(g, count: 2_500)
        var w = JSONWriter(reservingCapacity: reports.reduce(0) { $0 + $1.utf8.count } + reports.count * 16)
        for r in reports {
            w.append(["text": .string(r)])
            w.appendByte(UInt8(ascii: "\n"))
        }
        let sink = try FileSink(creating: options.dataDirectory + "/geoparse-reports.jsonl")
        try sink.write(w)
        try sink.close()
        let bytes = reports.reduce(0) { $0 + $1.utf8.count }
        var mentions = 0
        let seconds = bestSeconds(max(3, options.repeats)) {
            mentions = 0
            for r in reports { mentions += parser.parse(r).mentions.count }
        }
        emit("geoparse", Double(bytes) / 1e6 / seconds, "MB/s", n: reports.count)
        emit("geoparse-docs", Double(reports.count) / seconds, "documents/s", n: reports.count)
        FileHandleLite.stderr("geoparse: \(reports.count) reports, \(bytes / 1000) kB, \(mentions) mentions, one thread\n")
    },
]

/// Deterministic synthetic reports around gazetteer names.
func syntheticReports(_ g: Gazetteer, count: Int) -> [String] {
    var rng = SeededGenerator(seed: 20_240_128)
    let region: Set<String> = ["SY", "IQ", "JO", "LB", "TR", "IR"]
    let latin = { (e: GazetteerEntry) in e.name.unicodeScalars.allSatisfy { $0.value < 0x250 } && !e.name.contains("(") }
    let local = g.entries.filter { region.contains($0.country) && latin($0) && ($0.kind != .place || $0.population >= 1000) }
    let world = g.entries.filter { !region.contains($0.country) && latin($0) && $0.kind == .place && $0.population >= 100_000 }
    let countries = g.entries.filter { $0.kind == .country && latin($0) }
    func pick<T>(_ list: [T]) -> T { list[Int.random(in: 0..<list.count, using: &rng)] }
    func place() -> String { Double.random(in: 0..<1, using: &rng) < 0.6 ? pick(local).name : pick(world).name }
    let people = ["Ahmed Hassan", "John Kirby", "Sarah Miller", "Mohammed al-Sudani", "Lloyd Austin", "Maria Lopez", "David Chen",
                  "Fatima Zahra", "Peter Ford", "Ali Khamenei"]
    let orgs = ["the Pentagon", "the Syrian Observatory for Human Rights", "Kataib Hezbollah", "the Islamic Resistance in Iraq",
                "the Defense Ministry", "the United Nations", "Reuters", "the Associated Press", "the Red Crescent", "the Interior Ministry"]
    let demonyms = ["Iraqi", "Syrian", "Iranian", "Kurdish", "American", "Turkish", "Jordanian", "Lebanese"]
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
    let kinds = ["base", "air base", "checkpoint", "village", "town", "oil field", "crossing"]
    let directions = ["north", "south", "east", "west", "northeast", "southwest"]
    let filler = [
        "The statement did not give details of casualties, and the claim could not be independently verified.",
        "Officials declined to comment on the record because they were not authorised to speak to the media.",
        "Prices of fuel and bread have risen sharply since the start of the year, according to residents.",
        "The talks are expected to resume next week, although several delegations have yet to confirm.",
        "Analysts said the attack fitted a pattern of tit-for-tat strikes that has continued for months.",
        "Local councils asked for more support as thousands of families remained displaced.",
    ]
    var reports: [String] = []
    reports.reserveCapacity(count)
    for _ in 0..<count {
        var text = "\(pick(local).name.uppercased()) (AP) — "
        while text.utf8.count < 3_000 {
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: text += "\(pick(demonyms)) officials said a drone struck a \(pick(kinds)) \(Int.random(in: 2...60, using: &rng)) km \(pick(directions)) of \(place()) on \(pick(days)). "
            case 1: text += "Residents of \(place()) told \(pick(orgs)) that \(pick(people)) had left for \(place()) in \(pick(months)). "
            case 2: text += "\(pick(orgs).capitalizedFirst) said in a statement that fighting near \(place()) and \(place()) killed \(Int.random(in: 1...40, using: &rng)) people. "
            case 3: text += "A spokesman in \(place()) said forces in \(pick(countries).name) would stay. "
            case 4: text += "\(pick(people)) said the convoy reached \(place()) after crossing into \(pick(countries).name). "
            default: text += pick(filler) + " "
            }
            if Int.random(in: 0..<5, using: &rng) == 0 { text += "\n\n" }
        }
        reports.append(text)
    }
    return reports
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
