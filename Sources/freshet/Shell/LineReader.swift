import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// Where the shell's lines come from: GNU readline (line editing, history
/// kept in ~/.freshet_history) on a terminal, plain standard input otherwise.
final class LineReader {
    let interactive: Bool
    private let historyPath: String?

    init() {
        interactive = isatty(STDIN_FILENO) == 1
        if interactive, let home = getenv("HOME") {
            let path = String(cString: home) + "/.freshet_history"
            historyPath = path
            _ = read_history(path)
        } else {
            historyPath = nil
        }
    }

    /// The next line without its newline, nil at end of input.
    func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let p = readline(prompt) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Remembers a complete statement or command in the history.
    func remember(_ entry: String) {
        guard interactive, !entry.isEmpty else { return }
        add_history(entry)
        if let historyPath { _ = append_history(1, historyPath) }
    }

    func close() {
        if let historyPath { _ = write_history(historyPath) }
    }
}
