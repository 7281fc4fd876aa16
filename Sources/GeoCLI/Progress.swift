import GeoCore

/// A progress line on stderr, only when stderr is a terminal: every 100,000 items.
final class Progress {
    let console: Console
    let noun: String
    private var shown = false

    init(console: Console, noun: String) {
        self.console = console
        self.noun = noun
    }

    func tick(_ n: Int) {
        guard console.errIsTerminal, n % 100_000 == 0 else { return }
        shown = true
        console.writeError("\r\(Format.grouped(Double(n), decimals: 0)) \(noun)…")
    }

    func done() {
        if shown { console.writeError("\r\u{1B}[K") }
    }
}
